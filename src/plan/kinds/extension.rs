//! Extensions in a plan. Found by name (database-wide); "as planned" is in the declared schema. Created
//! with the version the scratch database installed, so the result is exact; dropped with the data of
//! what it made, which the rollback cannot make again.

use super::{Inverse, PlanKind, Undoing, drop_again, transactional};
use crate::catalog::{Catalog, Extension, quote_ident, quote_literal};
use crate::diff::{Change, Hazard, Obj, Op};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct ExtensionKind;
pub(super) static EXTENSION: ExtensionKind = ExtensionKind;

fn created(op: &Op) -> &Extension {
    let Op::CreateExtension(e) = op else { unreachable!("an extension's change") };
    e
}

fn object(object: &Obj) -> &Extension {
    let Obj::Extension(e) = object else { unreachable!("an extension") };
    e
}

fn state(name: &str, schema: &str) -> State {
    let exists =
        format!("EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = {})", quote_literal(name));
    let same = format!(
        "EXISTS (SELECT FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
         WHERE e.extname = {} AND n.nspname = {})",
        quote_literal(name),
        quote_literal(schema)
    );
    State { exists, same, object: format!("extension {name}") }
}

/// The version the scratch database installed: the declared one, else the server's default, which the
/// target (same major, same packages) would install too; naming it makes the result exact.
fn create_sql(e: &Extension) -> String {
    format!(
        "CREATE EXTENSION {} WITH SCHEMA {} VERSION {}",
        quote_ident(&e.name),
        quote_ident(&e.schema),
        quote_literal(&e.version)
    )
}

impl PlanKind for ExtensionKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        let e = created(op);
        let s = state(&e.name, &e.schema);
        transactional(three_way(step, &s.exists, &s.same, &s.object, &[create_sql(e)]))
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        vec![create_sql(created(op))]
    }

    fn rank(&self, _op: &Op) -> u8 {
        1
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        vec![Resource::Extension(created(op).name.clone())]
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        vec![(Resource::Schema(created(op).schema.clone()), Edge::Before)]
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        let e = created(op);
        c.extensions.insert(e.name.clone(), e.clone());
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        drop_again(Obj::Extension(created(&change.op).clone()), vec![Hazard::DeletesData])
    }

    fn state(&self, o: &Obj) -> State {
        let e = object(o);
        state(&e.name, &e.schema)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        format!("DROP EXTENSION {}", quote_ident(&object(o).name))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        24
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.extensions.remove(&object(o).name);
    }

    fn holds_data(&self, _object: &Obj) -> bool {
        true
    }

    fn recreate(&self, _object: &Obj) -> Undo {
        vec![]
    }
}
