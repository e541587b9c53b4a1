#!/usr/bin/env python3
"""Writes grants-10k.csv (10,000 360Giving grants over 40 programmes, 2,000 organisations) and
map.mission.ron (40 interventions named for the programmes, 500 partners: half by identifier,
half by name) into the directory given, the same as benches/grants.rs, for timing the command:

    python3 bench/grants_10k.py /tmp/g
    time target/release/missionboard grants /tmp/g/map.mission.ron /tmp/g/grants-10k.csv -o /tmp/g/out.mission.ron
"""
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
rows = ["Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,"
        "Funding Org:Identifier,Funding Org:Name,Grant Programme:Title,Planned Dates:Start Date,Planned Dates:End Date"]
for i in range(10000):
    org = i % 2000
    rows.append(f'360G-bench-{i},"Grant {i}, for the community",GBP,{1000 + (i * 37) % 250000},'
                f'2025-{1 + i % 12:02d}-{1 + i % 28:02d},GB-CHC-{org},Organisation {org},GB-GOV-1,Bench Fund,'
                f'Programme {i % 40},2025-04-01,2027-03-31')
with open(os.path.join(out, "grants-10k.csv"), "w") as f:
    f.write("\n".join(rows) + "\n")
nodes = [f'(id: "i{p}", title: "Programme {p}", kind: Intervention())' for p in range(40)]
for o in range(500):
    if o % 2 == 0:
        nodes.append(f'(id: "GB-CHC-{o}", title: "Partner {o}", kind: Partner())')
    else:
        nodes.append(f'(id: "p{o}", title: "Organisation {o}", kind: Partner())')
with open(os.path.join(out, "map.mission.ron"), "w") as f:
    f.write('(version: 3, title: "Bench", nodes: [\n' + ",\n".join(nodes) + "\n], links: [])")
