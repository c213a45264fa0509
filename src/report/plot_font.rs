//! The one font of the plots, bundled into the binary so that drawing needs no system font and
//! no font library (plotters' `ab_glyph` feature, not `ttf`/font-kit, which needs fontconfig).

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

/// DejaVu Sans (its license is in `assets/fonts/LICENSE-DejaVu.txt`).
pub(crate) static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family name the plots ask for; the bundled font is registered under it.
pub(crate) const FAMILY: &str = "sans-serif";

/// Why the bundled font could not be used.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the bundled font assets/fonts/DejaVuSans.ttf could not be loaded")]
pub(crate) struct FontUnavailable;

/// Registers the bundled font under [`FAMILY`] once per process; later calls only report
/// the first result.
pub(crate) fn register() -> Result<(), FontUnavailable> {
    static REGISTERED: OnceLock<Result<(), FontUnavailable>> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).map_err(|_| FontUnavailable)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_font_registers() {
        assert!(super::register().is_ok());
        assert!(super::register().is_ok());
    }
}
