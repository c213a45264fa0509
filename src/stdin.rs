//! Standard input as an input file named `-`: `asgsim run -`, `trace = "-"`.
//!
//! It is read once, whole, by the first input that asks for it, and kept: a sweep or a
//! comparison that loads the same trace again gets the same bytes. Only one kind of input can
//! come from it; a second kind asking is told so instead of reading an empty stream.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// How messages name standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// What standard input was read as, and what it held.
struct Claim {
    what: &'static str,
    bytes: Result<Vec<u8>, String>,
}

static STDIN: OnceLock<Claim> = OnceLock::new();

/// The bytes of standard input, read for `what` ("the scenario", "the load trace").
///
/// # Errors
///
/// The input cannot be read, or it was already read as another kind of input.
pub fn read(what: &'static str) -> Result<&'static [u8], String> {
    let claim = STDIN.get_or_init(|| {
        let mut bytes = Vec::new();
        let bytes = std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
            .map_err(|e| format!("cannot read standard input: {e}"));
        Claim { what, bytes }
    });
    if claim.what != what {
        return Err(format!(
            "standard input (-) is already {}; only one input can come from it, give {what} as a file",
            claim.what
        ));
    }
    claim.bytes.as_deref().map_err(Clone::clone)
}
