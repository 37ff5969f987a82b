//! Visual regression: a screenshot compared with its approved baseline PNG in
//! `tests/visual-baselines/`, within a small tolerance, so a broken stylesheet, a lost colour or a
//! layout that overflows fails the suite with a diff image instead of reaching a user.
//!
//! A pixel differs when any RGBA channel differs by more than [`Tolerance::channel`]; a screenshot
//! matches when at most [`Tolerance::max_fraction`] of its pixels differ (the slack absorbs
//! anti-aliasing jitter between runs on the same machine image and fonts). On a mismatch, `$OUTPOST_ARTIFACTS/visual/NAME.actual.png` and `NAME.diff.png` (differing pixels in
//! red over a faded baseline) are written. `OUTPOST_APPROVE=1` (`make approve-screenshots`)
//! writes the screenshots as the new baselines instead.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use image::{codecs, ImageEncoder, Rgba, RgbaImage};

/// How different a screenshot may be from its baseline and still match.
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// Largest per-channel difference (0-255) that still counts as the same pixel.
    pub channel: u8,
    /// Largest fraction of differing pixels (0-1).
    pub max_fraction: f64,
}

/// The suite's tolerance: 16/255 per channel (invisible shade changes), 0.1 % of the pixels
/// (about 1,000 at 1280×800, a short line of text). Repeat runs on one machine differ by 59-293
/// pixels (anti-aliased focus-ring corners); a broken stylesheet or a colour change differs by
/// tens of percent.
pub const TOLERANCE: Tolerance = Tolerance { channel: 16, max_fraction: 0.001 };

/// What comparing one screenshot found.
#[derive(Debug)]
pub enum Outcome {
    /// Within tolerance of the baseline.
    Matches {
        /// Pixels that differed beyond the channel threshold.
        differing: u64,
    },
    /// `OUTPOST_APPROVE=1`: the screenshot is now the baseline.
    Approved(PathBuf),
    /// Outside tolerance, or no baseline yet; the message names the screen and the artifacts.
    Mismatch(String),
}

/// The folder of approved baselines.
pub fn baseline_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("visual-baselines")
}

/// Where actual and diff images go: `$OUTPOST_ARTIFACTS/visual` (else the temp dir).
pub fn artifact_dir() -> PathBuf {
    std::env::var_os("OUTPOST_ARTIFACTS").map(PathBuf::from).unwrap_or_else(std::env::temp_dir).join("visual")
}

/// Whether `OUTPOST_APPROVE` asks for new baselines (`1`, `true` or `yes`).
pub fn approving() -> bool {
    std::env::var("OUTPOST_APPROVE").is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

/// Decodes a PNG into RGBA pixels.
pub fn decode(png: &[u8]) -> Result<RgbaImage> {
    Ok(image::load_from_memory_with_format(png, image::ImageFormat::Png).context("decode PNG")?.to_rgba8())
}

/// Encodes pixels as an RGBA PNG with the strongest standard compression (artifacts).
pub fn encode(pixels: &RgbaImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    codecs::png::PngEncoder::new_with_quality(
        &mut out,
        codecs::png::CompressionType::Best,
        codecs::png::FilterType::Adaptive,
    )
    .write_image(pixels.as_raw(), pixels.width(), pixels.height(), image::ExtendedColorType::Rgba8)
    .context("encode PNG")?;
    Ok(out)
}

/// Largest change [`encode_baseline`] makes to a channel: well inside [`TOLERANCE`].
pub const BASELINE_ROUNDING: u8 = 4;

/// Encodes a screenshot compactly for git: each channel rounded to 5 bits (to the middle of its
/// step of 8, so off by at most [`BASELINE_ROUNDING`]), alpha dropped (screenshots are opaque),
/// and, when at most 256 colours remain (UI screens: 100-250), stored as an 8-bit palette PNG —
/// about 40 KB for a 1280×800 screen instead of 100 KB.
pub fn encode_baseline(pixels: &RgbaImage) -> Result<Vec<u8>> {
    let rounded: Vec<[u8; 3]> = pixels.pixels().map(|p| [0, 1, 2].map(|c| (p[c] & 0xF8) | BASELINE_ROUNDING)).collect();
    let mut palette: Vec<[u8; 3]> = rounded.clone();
    palette.sort_unstable();
    palette.dedup();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixels.width(), pixels.height());
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let data: Vec<u8> = if palette.len() <= 256 {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette.concat());
        rounded
            .iter()
            .map(|colour| palette.binary_search(colour).ok().and_then(|i| u8::try_from(i).ok()).unwrap_or(0))
            .collect()
    } else {
        encoder.set_color(png::ColorType::Rgb);
        rounded.concat()
    };
    let mut writer = encoder.write_header().context("encode baseline PNG")?;
    writer.write_image_data(&data).context("encode baseline PNG")?;
    writer.finish().context("encode baseline PNG")?;
    Ok(out)
}

/// Pixels of `actual` that differ from `expected` beyond `channel`, and a diff image: differing
/// pixels red, the rest the baseline faded to a light grey. Both images must be the same size.
pub fn difference(expected: &RgbaImage, actual: &RgbaImage, channel: u8) -> (u64, RgbaImage) {
    let mut diff = RgbaImage::new(expected.width(), expected.height());
    let mut differing = 0;
    for ((a, b), out) in expected.pixels().zip(actual.pixels()).zip(diff.pixels_mut()) {
        if a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > channel) {
            differing += 1;
            *out = Rgba([230, 0, 30, 255]);
        } else {
            let luma = (u32::from(a[0]) * 3 + u32::from(a[1]) * 6 + u32::from(a[2])) / 10;
            let faded = u8::try_from(200 + luma * 55 / 255).unwrap_or(u8::MAX);
            *out = Rgba([faded, faded, faded, 255]);
        }
    }
    (differing, diff)
}

/// Compares the screenshot `png` of `name` (e.g. `pipeline@1280x800`) with its baseline, or
/// approves it. Every screenshot is also written to the artifacts as `NAME.png` for review.
pub fn check(name: &str, png: &[u8], tolerance: Tolerance) -> Result<Outcome> {
    let actual = decode(png).with_context(|| format!("screenshot of {name}"))?;
    let artifacts = artifact_dir();
    std::fs::create_dir_all(&artifacts).with_context(|| format!("create {}", artifacts.display()))?;
    write(&artifacts.join(format!("{name}.png")), png)?;

    let baseline = baseline_dir().join(format!("{name}.png"));
    if approving() {
        std::fs::create_dir_all(baseline_dir())?;
        write(&baseline, &encode_baseline(&actual)?)?;
        return Ok(Outcome::Approved(baseline));
    }
    let expected = match std::fs::read(&baseline) {
        Ok(bytes) => decode(&bytes).with_context(|| format!("baseline {}", baseline.display()))?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Outcome::Mismatch(format!(
                "{name}: no approved baseline at {}; look at {} and approve it with `make approve-screenshots`",
                baseline.display(),
                artifacts.join(format!("{name}.png")).display()
            )));
        }
        Err(error) => return Err(error).with_context(|| format!("read {}", baseline.display())),
    };
    let actual_path = artifacts.join(format!("{name}.actual.png"));
    if expected.dimensions() != actual.dimensions() {
        write(&actual_path, png)?;
        return Ok(Outcome::Mismatch(format!(
            "{name}: the screenshot is {:?} but the baseline is {:?} (actual: {})",
            actual.dimensions(),
            expected.dimensions(),
            actual_path.display()
        )));
    }
    let (differing, diff) = difference(&expected, &actual, tolerance.channel);
    let total = u64::from(actual.width()) * u64::from(actual.height());
    // Pixel counts are far below 2^52, so the conversion to f64 is exact.
    #[allow(clippy::cast_precision_loss)]
    let fraction = differing as f64 / total.max(1) as f64;
    if fraction <= tolerance.max_fraction {
        return Ok(Outcome::Matches { differing });
    }
    let diff_path = artifacts.join(format!("{name}.diff.png"));
    write(&actual_path, png)?;
    write(&diff_path, &encode(&diff)?)?;
    Ok(Outcome::Mismatch(format!(
        "{name}: {differing} of {total} pixels ({:.3} %) differ from the baseline by more than {}/255 (allowed {:.3} %); \
         actual: {}, diff: {}",
        fraction * 100.0,
        tolerance.channel,
        tolerance.max_fraction * 100.0,
        actual_path.display(),
        diff_path.display()
    )))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(width: u32, height: u32, shade: u8) -> RgbaImage {
        RgbaImage::from_pixel(width, height, Rgba([shade, shade, shade, 255]))
    }

    #[test]
    fn shades_within_the_channel_threshold_are_the_same_pixel() {
        let (differing, _) = difference(&flat(4, 4, 100), &flat(4, 4, 116), 16);
        assert_eq!(differing, 0);
        let (differing, _) = difference(&flat(4, 4, 100), &flat(4, 4, 117), 16);
        assert_eq!(differing, 16);
    }

    #[test]
    fn the_diff_image_marks_exactly_the_differing_pixels_red() {
        let expected = flat(3, 2, 255);
        let mut actual = expected.clone();
        actual.put_pixel(1, 1, Rgba([0, 0, 0, 255]));
        let (differing, diff) = difference(&expected, &actual, 16);
        assert_eq!(differing, 1);
        assert_eq!(diff.get_pixel(1, 1), &Rgba([230, 0, 30, 255]));
        assert_eq!(diff.get_pixel(0, 0), &Rgba([255, 255, 255, 255]));
    }

    #[test]
    fn a_baseline_decodes_within_its_rounding_of_the_screenshot() -> Result<()> {
        let mut pixels = flat(16, 16, 255);
        for x in 0..16 {
            pixels.put_pixel(x, 3, Rgba([u8::try_from(x * 16).unwrap_or(0), 7, 250, 255]));
        }
        let baseline = decode(&encode_baseline(&pixels)?)?;
        assert_eq!(baseline.dimensions(), (16, 16));
        let (differing, _) = difference(&pixels, &baseline, BASELINE_ROUNDING);
        assert_eq!(differing, 0);
        let (differing, _) = difference(&pixels, &baseline, 0);
        assert!(differing > 0, "rounding should change some channels");
        Ok(())
    }

    #[test]
    fn encoded_pngs_decode_to_the_same_pixels() -> Result<()> {
        let mut pixels = flat(5, 3, 40);
        pixels.put_pixel(4, 2, Rgba([1, 2, 3, 4]));
        assert_eq!(decode(&encode(&pixels)?)?, pixels);
        Ok(())
    }
}
