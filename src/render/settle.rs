//! render: lay a rebuild out starting from the previous build's layout, so that a preview or
//! watch rebuild settles in one layout pass instead of two or three.
//!
//! Typst lays a document out until its introspection settles: a pass answers the templates'
//! queries (the 目录's headings and their pages, `counter(page)`, `here()`) from the layout
//! before it, and the first pass of [`typst::compile`] has no layout before it, so it
//! answers "nothing". The pass after it answers with the headings but possibly wrong pages
//! (a two-page 目录 moves every page after it), and a document like the 部门决算 needs three.
//!
//! A rebuild after an edit has the previous build's layout, and an edit rarely moves a
//! heading. [`compile_from`] runs Typst's own steps (evaluate, then lay out with an
//! introspector, then check that every query the pass made has the same answer in the
//! layout it produced) but hands the first pass the previous layout's introspector. When
//! the answers hold, that one pass is the result. It is the same document a cold compile
//! settles on: the pass's output depends on the queries' answers only, and those are the
//! answers of its own layout, which is the fixed point a cold compile converges to. When
//! they do not hold after a few passes, the caller compiles as [`typst::compile`] does.

use comemo::Track;
use typst::World;
use typst::diag::{SourceResult, Warned};
use typst::engine::{Engine, Route, Sink, Traced};
use typst::foundations::{Output, StyleChain, Target, TargetElem};
use typst::utils::Protected;
use typst_layout::PagedDocument;

/// How many passes a rebuild may take from its seed before it gives up for a cold compile.
/// One settles every edit that moves no heading and no page; a second follows one that
/// does.
pub const PASSES: usize = 2;

/// Compiles `world`'s document with the first layout pass answering its queries from
/// `seed` (the last good layout of the same project). `None` when Typst reports an error
/// (the caller's cold compile reports it exactly as Typst does) or when the layout has not
/// settled after `passes` passes.
pub fn compile_from(
    world: &dyn World,
    seed: &PagedDocument,
    passes: usize,
) -> Option<Warned<SourceResult<PagedDocument>>> {
    let world = world.track();
    let library = world.library();
    let target = TargetElem::target.set(Target::Paged).wrap();
    let styles = StyleChain::new(&library.styles);
    let styles = styles.chain(&target);
    let main = world.source(world.main()).ok()?;
    let traced = Traced::default();
    let mut sink = Sink::new();
    let content = typst_eval::eval(
        world,
        library,
        traced.track(),
        sink.track_mut(),
        Route::default().track(),
        &main,
    )
    .ok()?
    .content();

    let mut previous = seed.clone();
    for _ in 0..passes {
        let constraint = comemo::Constraint::new();
        let mut pass = Sink::new();
        let document = {
            let mut engine = Engine {
                library,
                world,
                introspector: Protected::new(
                    Output::introspector(&previous).track_with(&constraint),
                ),
                traced: traced.track(),
                sink: pass.track_mut(),
                route: Route::default(),
            };
            PagedDocument::create(&mut engine, &content, styles).ok()?
        };
        if constraint.validate(Output::introspector(&document)) {
            sink.extend_from_sink(pass);
            if !sink.delayed().is_empty() {
                return None;
            }
            return Some(Warned {
                output: Ok(document),
                warnings: sink.warnings(),
            });
        }
        previous = document;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::world::{BudgetWorld, font_store};
    use crate::testing::{example, pdf};
    use crate::{BuildOptions, Compiled};

    fn world_of(compiled: &Compiled) -> BudgetWorld {
        let meta = compiled.checked.document.meta();
        let today = crate::render::today(meta.date, meta.year);
        BudgetWorld::new(font_store(&[]), &compiled.sources.files, "main.typ", today).unwrap()
    }

    fn cold(name: &str) -> Compiled {
        crate::compile_with(&example(name), &BuildOptions::default()).unwrap()
    }

    /// Every example, compiled again from its own layout, settles in a single pass on the
    /// document a cold compile writes, byte for byte.
    #[test]
    fn a_compile_from_its_own_layout_settles_in_one_pass_on_the_same_pdf() {
        for name in [
            "nx-hrss-2024-final",
            "zhongwei-hrss-2024-budget",
            "nx-employment-2024-targets",
            "yongning-employment-2024-targets",
        ] {
            let compiled = cold(name);
            let world = world_of(&compiled);
            let settled = compile_from(&world, &compiled.document, 1)
                .unwrap_or_else(|| panic!("{name}: not settled in one pass"));
            let doc = settled.output.unwrap();
            assert!(pdf(&doc) == pdf(&compiled.document), "{name}");
        }
    }

    /// A seed that answers every query wrongly (another document's layout: other headings,
    /// other pages) either settles on the same document as a cold compile or gives up.
    #[test]
    fn a_compile_from_a_foreign_layout_settles_on_the_same_pdf_or_gives_up() {
        let budget = cold("zhongwei-hrss-2024-budget");
        let accounts = cold("nx-hrss-2024-final");
        for (compiled, seed) in [(&accounts, &budget), (&budget, &accounts)] {
            let world = world_of(compiled);
            match compile_from(&world, &seed.document, PASSES) {
                Some(settled) => {
                    assert!(pdf(&settled.output.unwrap()) == pdf(&compiled.document));
                }
                None => {
                    let again = typst::compile::<PagedDocument>(&world).output.unwrap();
                    assert!(pdf(&again) == pdf(&compiled.document));
                }
            }
        }
    }
}
