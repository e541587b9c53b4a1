//! Making a what-if move of money real, as one undo step.

use super::Editor;
use crate::command::Command;
use crate::model::money::{self, Move};

impl Editor {
    /// Moves money as the what-if showed: the cards it changes, in one undo step. Says what
    /// moved, or why it could not.
    pub fn move_money(&mut self, mv: &Move) -> bool {
        let said = mv.text(self.map());
        match money::moved(self.map(), mv) {
            Ok(nodes) => {
                let done =
                    self.apply("Move money", Command::Batch(nodes.into_iter().map(Command::UpdateNode).collect()));
                if done {
                    self.say(format!("Moved {said}. Undo puts it back."));
                }
                done
            }
            Err(e) => {
                self.warn(format!("Could not move {said}: {e}."));
                false
            }
        }
    }
}
