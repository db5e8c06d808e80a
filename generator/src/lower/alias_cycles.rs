//! A pass over the lowered types: names that only stand for each other are no type.

use super::Result;
use crate::error::{SpecError, join};
use crate::ir::*;

/// Names that only stand for each other (`A` is `B`, `B` is `A`) are no type at all.
pub(super) fn check(types: &[TypeDef]) -> Result<()> {
    // What an alias stands for, when that is another named type.
    let next = |def: &TypeDef| {
        def.kind
            .refs()
            .into_iter()
            .find_map(|(slot, ty)| (slot == Slot::Alias).then(|| ty.direct()).flatten())
    };
    for def in types {
        let mut current = def;
        let mut steps = 0;
        while let Some(id) = next(current) {
            current = &types[id.0];
            steps += 1;
            if current.id == def.id || steps > types.len() {
                return Err(SpecError::at(
                    join(&def.origin, "$ref"),
                    format!(
                        "`{}` is only a reference that leads back to itself",
                        def.api_name
                    ),
                ));
            }
        }
    }
    Ok(())
}
