//! derive: the funds of a 项目支出预算绩效目标表 — every 资金总额 from its typed parts. Shared
//! by the form's rules (a typed total is checked against the parts) and its figures.

use crate::figures::Num;

use super::input::TargetInput;

/// The money of a form: parts and every total.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetMoney {
    pub fiscal: Num,
    pub other: Num,
    pub carryover: Num,
    pub central: Num,
    pub regional: Num,
    /// 本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金.
    pub local: Num,
    /// 转移市县（区）资金总额 = 中央资金 + 自治区资金.
    pub transfer: Num,
    /// 年度资金总额 = 本级 + 转移.
    pub total: Num,
    /// 财政拨款 of 本级 and 转移 together (the county form's 含本级和市县 column).
    pub fiscal_all: Num,
}

impl TargetMoney {
    pub fn of(t: &TargetInput) -> Self {
        let a = |x: Option<crate::load::scalar::Amount>| x.map(|a| a.num()).unwrap_or_default();
        let f = &t.funds;
        let (fiscal, other, carryover) = (a(f.fiscal), a(f.other), a(f.carryover));
        let (central, regional) = (a(f.central), a(f.regional));
        let local = fiscal + other + carryover;
        let transfer = central + regional;
        Self {
            fiscal,
            other,
            carryover,
            central,
            regional,
            local,
            transfer,
            total: local + transfer,
            fiscal_all: fiscal + carryover + transfer,
        }
    }
}
