//! Text on the PNG plots, with each letter where the font puts it.
//!
//! plotters 0.3.7 draws a glyph of its `ab_glyph` font backend from the left edge of the
//! glyph's ink, dropping the left side bearing, and at a whole-pixel pen position: letters
//! with a wide bearing or a negative one (`j`) sit apart from their neighbours ("ob jective",
//! "W here"). [`GlyphText`] wraps a backend and draws text itself, with the same layout box and
//! anchor rules, each glyph placed at its sub-pixel pen position plus its bearing; everything
//! else goes to the wrapped backend. SVG plots are unaffected (they hold `<text>`).

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use super::plot_font::DEJAVU_SANS;

/// A drawing backend whose text is laid out glyph by glyph (see the module docs).
#[derive(Debug)]
pub(crate) struct GlyphText<B>(pub(crate) B);

type Drawn<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend> DrawingBackend for GlyphText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn<B> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Drawn<B> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<B> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<B> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<B> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<B> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<B> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<B> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn<B> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(text, style)
    }

    /// As plotters' default `draw_text` (layout box, anchor, rotation, clipping), with the
    /// glyphs rasterised by [`glyph_pixels`].
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<B> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        for (x, y, coverage) in glyph_pixels(text, style.size() as f32) {
            let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                self.0.draw_pixel((x, y), color.mix(f64::from(coverage)))?;
            }
        }
        Ok(())
    }
}

/// The pixels of `text` at `size` px in the bundled font, relative to the layout box's
/// top left, with their coverage: each glyph at its pen position (advance plus kerning, not
/// rounded) and its own bearing; the baseline where plotters puts it, `size / 2` down.
pub(crate) fn glyph_pixels(text: &str, size: f32) -> Vec<(i32, i32, f32)> {
    let Ok(font) = FontRef::try_from_slice(DEJAVU_SANS) else {
        return Vec::new();
    };
    let font = font.as_scaled(size);
    let mut pixels = Vec::new();
    let mut pen = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            pen += font.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(size, point(pen, size / 2.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, coverage| {
                pixels.push((
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                    coverage,
                ));
            });
        }
        pen += font.h_advance(id);
    }
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glyph's ink starts at its pen position plus its left side bearing, so that "jective"
    /// keeps its `j` against the `b` and "Where" its `h` against the `W`.
    #[test]
    fn glyphs_keep_their_bearings() {
        for (text, size) in [("objective", 20.0), ("Where", 14.0), ("0.5835", 13.0)] {
            let pixels = glyph_pixels(text, size);
            let font = FontRef::try_from_slice(DEJAVU_SANS).unwrap();
            let font = font.as_scaled(size);
            let mut pen = 0f32;
            let mut seen = 0;
            for c in text.chars() {
                let id = font.glyph_id(c);
                let glyph = id.with_scale_and_position(size, point(pen, size / 2.0));
                if let Some(outline) = font.outline_glyph(glyph) {
                    let left = outline.px_bounds().min.x as i32;
                    // The ink lies where the font puts it: within a pixel of pen + bearing.
                    let expected = pen + font.h_side_bearing(id);
                    assert!(
                        (left as f32 - expected).abs() <= 1.0,
                        "{text}: {c} at {left}, expected {expected}"
                    );
                    assert!(pixels.iter().any(|(x, _, _)| *x == left), "{text}: {c}");
                    seen += 1;
                }
                pen += font.h_advance(id);
            }
            assert_eq!(seen, text.chars().count());
        }
    }

    /// The gap between two letters is what the font gives them, not more: in "objective" the
    /// ink of `j` starts before the end of the `b`'s advance (its bearing is negative).
    #[test]
    fn a_negative_bearing_is_kept() {
        let size = 20.0;
        let font = FontRef::try_from_slice(DEJAVU_SANS).unwrap();
        let font = font.as_scaled(size);
        let j = font.glyph_id('j');
        assert!(font.h_side_bearing(j) < 0.0, "DejaVu's j hangs left");
        let pixels = glyph_pixels("bj", size);
        let b_advance = font.h_advance(font.glyph_id('b'));
        let j_left = pixels
            .iter()
            .filter(|(x, y, _)| (*x as f32) < b_advance + 2.0 && *y > (size / 2.0) as i32)
            .map(|(x, _, _)| *x)
            .min()
            .unwrap();
        assert!(
            (j_left as f32) < b_advance,
            "j's descender starts at {j_left}, b ends at {b_advance}"
        );
    }
}
