//! [`Index`]: what `value[...]` and [`Value::get`] accept.

use super::{NIL, Value};

/// What [`Value::get`] and `value[...]` accept: member names and array indexes.
pub trait Index: private::Sealed {
    #[doc(hidden)]
    fn index_into(self, v: &Value) -> Option<&Value>;
}

impl Index for usize {
    fn index_into(self, v: &Value) -> Option<&Value> {
        v.as_array()?.get(self)
    }
}

impl Index for &str {
    fn index_into(self, v: &Value) -> Option<&Value> {
        v.as_struct()?.get(self)
    }
}

mod private {
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for &str {}
}

impl<I: Index> std::ops::Index<I> for Value {
    type Output = Value;

    /// The member or element, or [`Value::Nil`] when there is none (as serde_json does).
    fn index(&self, index: I) -> &Value {
        index.index_into(self).unwrap_or(&NIL)
    }
}
