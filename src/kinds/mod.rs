//! The document kinds and their registry. Each kind lives in its own folder, its files in
//! pipeline order — `input` (load), `rules` (validate), figures (derive), `view` (render) —
//! and implements [`crate::kind::DocumentKind`] in its `mod.rs`. Adding a kind is a folder
//! here plus one line in [`KINDS`] (see the README, "Adding a document kind").

pub mod budget;
pub mod final_accounts;
pub mod performance_targets;

use crate::kind::AnyKind;

/// Every kind budgetdoc builds, in the order help texts list them; the first is `init`'s
/// default.
pub static KINDS: &[&dyn AnyKind] = &[
    &final_accounts::FinalAccounts,
    &budget::Budget,
    &performance_targets::PerformanceTargets,
];

/// The kind whose `kind:` value is `key`.
pub fn find(key: &str) -> Option<&'static dyn AnyKind> {
    KINDS.iter().copied().find(|k| k.key() == key)
}
