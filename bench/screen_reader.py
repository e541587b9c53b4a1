"""Reads Missionboard's accessibility tree through AT-SPI (see screen_reader.sh)."""
import pyatspi

KINDS = ("Mission", "Sub-mission", "Intervention", "Partner")


def walk(node, found):
    try:
        role, name, desc = node.getRoleName(), node.name or "", node.description or ""
    except Exception:  # a node that went away while we read
        return
    if role == "frame" and found["window"] is None:
        found["window"] = name
    if name.startswith("Link: "):
        found["links"].append(name)
    elif role in ("push button", "toggle button") and ": " in name and name.split(":")[0] in KINDS:
        found["cards"].append((name, role, desc))
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, found)


desktop = pyatspi.Registry.getDesktop(0)
found = {"window": None, "cards": [], "links": []}
for i in range(desktop.childCount):
    app = desktop.getChildAtIndex(i)
    if app is not None and app.name == "missionboard":
        walk(app, found)
print("window:", found["window"])
print(f"cards: {len(found['cards'])}, links: {len(found['links'])}")
for name, role, desc in found["cards"][:3]:
    print(f"  {name} ({role}) | {desc}")
for name in found["links"][:3]:
    print(f"  {name}")
