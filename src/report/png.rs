//! PNG plots drawn in memory and encoded here. plotters' file backend opens its path by name
//! (following a link planted there); drawing into a buffer lets the bytes go through
//! [`super::write_atomic`] like every other file.

use std::fmt::Display;
use std::io;

use plotters::prelude::BitMapBackend;

/// Draws a plot of `size` \[px\] with `draw` on an RGB buffer and returns it as PNG bytes.
///
/// `draw` gets the backend rather than a drawing area so that it can wrap it (the capacity and
/// sweep plots draw their text through `GlyphText`).
pub(crate) fn render_png<E: Display>(
    size: (u32, u32),
    draw: impl for<'b> FnOnce(BitMapBackend<'b>) -> Result<(), E>,
) -> io::Result<Vec<u8>> {
    let (width, height) = size;
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let backend = BitMapBackend::with_buffer(&mut rgb, size);
        draw(backend).map_err(|e| io::Error::other(e.to_string()))?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(io::Error::other)?;
    writer.write_image_data(&rgb).map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn a_drawing_becomes_a_png_of_its_size() {
        let bytes = render_png((40, 30), |backend| {
            let root = backend.into_drawing_area();
            root.fill(&RED).map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())
        })
        .unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(bytes.as_slice());
        let mut reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (40, 30));
        let mut pixels = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut pixels).unwrap();
        assert_eq!(&pixels[..3], [255, 0, 0]);
    }
}
