//! Code shared by the `codec` and `memory` benchmarks. Each of them uses a
//! different part of it, hence the `dead_code` allowance where it is included.

pub(crate) mod cases;
pub(crate) mod payload;
