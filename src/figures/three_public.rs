//! figures: the 三公 经费 of one column (a year's 预算, 决算 or 执行数) — 因公出国（境）费,
//! 公务用车购置费 and 运行费, 公务接待费 — with the 公务用车 小计 and the 合计, for every kind
//! that prints them.
//!
//! Two ways of reading a missing item, one per publication: in a 部门决算's 07表 a blank cell
//! is the official way of printing no amount, so the subtotals add what is there
//! ([`ThreePublic::of_table`]); in a 部门预算 a missing item is unknown, so a subtotal over it
//! is too ([`ThreePublic::of_typed`]).

use super::{Cell, sum_all, sum_cells};
use crate::load::common::ThreePublicItems;

/// The 三公 figures of one column.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ThreePublic {
    pub total: Cell,
    pub outbound: Cell,
    pub vehicle: Cell,
    pub vehicle_purchase: Cell,
    pub vehicle_operation: Cell,
    pub reception: Cell,
}

impl ThreePublic {
    /// The item labels, in the order of [`Self::items`].
    pub const LABELS: [&'static str; 4] = [
        "因公出国（境）费",
        "公务用车购置费",
        "公务用车运行费",
        "公务接待费",
    ];

    fn from(items: &ThreePublicItems, sum: fn([Cell; 2]) -> Cell) -> Self {
        let a = |x: Option<crate::load::scalar::Amount>| x.map(|a| a.num());
        let vehicle = sum([a(items.vehicle_purchase), a(items.vehicle_operation)]);
        let outbound_vehicle = sum([a(items.outbound), vehicle]);
        Self {
            total: sum([outbound_vehicle, a(items.reception)]),
            outbound: a(items.outbound),
            vehicle,
            vehicle_purchase: a(items.vehicle_purchase),
            vehicle_operation: a(items.vehicle_operation),
            reception: a(items.reception),
        }
    }

    /// As a 决算 table reads its cells: blank parts add nothing.
    pub fn of_table(items: &ThreePublicItems) -> Self {
        Self::from(items, sum_cells)
    }

    /// As a budget reads its facts: a subtotal needs every part.
    pub fn of_typed(items: &ThreePublicItems) -> Self {
        Self::from(items, sum_all)
    }

    /// The four items with their labels.
    pub fn items(&self) -> [(&'static str, Cell); 4] {
        let [o, p, r, c] = Self::LABELS;
        [
            (o, self.outbound),
            (p, self.vehicle_purchase),
            (r, self.vehicle_operation),
            (c, self.reception),
        ]
    }

    /// The six cells of a table row: 合计, 因公出国（境）费, 公务用车 小计, 购置费, 运行费, 公务接待费.
    pub fn cells(&self) -> [Cell; 6] {
        [
            self.total,
            self.outbound,
            self.vehicle,
            self.vehicle_purchase,
            self.vehicle_operation,
            self.reception,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Num;
    use crate::load::scalar::Amount;
    use rust_decimal::Decimal;

    #[test]
    fn a_missing_item_is_blank_in_a_table_and_unknown_in_a_budget() {
        let items = ThreePublicItems {
            outbound: None,
            vehicle_purchase: Some(Amount::new(Decimal::from(2))),
            vehicle_operation: Some(Amount::new(Decimal::from(3))),
            reception: Some(Amount::new(Decimal::from(4))),
        };
        let table = ThreePublic::of_table(&items);
        assert_eq!(table.total, Some(Num::from(Decimal::from(9))));
        assert_eq!(table.vehicle, Some(Num::from(Decimal::from(5))));
        let typed = ThreePublic::of_typed(&items);
        assert_eq!(typed.total, None);
        assert_eq!(typed.vehicle, Some(Num::from(Decimal::from(5))));
    }
}
