//! The 项目支出预算绩效目标表: one form component shared by every kind that prints it (the
//! budget's 表九 and the performance-target publication), in pipeline order — its input,
//! the one indicator tree, its official layouts, its funds, its rules, its figures and its
//! view. The template is `templates/common/targets.typ`.

pub mod figures;
pub mod indicators;
pub mod input;
pub mod layout;
pub mod money;
pub mod profile;
pub mod rules;
pub mod sheets;
pub mod view;
