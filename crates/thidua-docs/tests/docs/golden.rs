//! Pictures of our PDFs (pdftoppm, 30 dpi, grayscale) compared with reviewed golden images in
//! `tests/golden/` within a tolerance (anti-aliasing differs between poppler versions; a moved
//! line does not). `THIDUA_BLESS=1` writes the goldens again, to be reviewed in the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::render::{dir, file};
use super::tools::{have, run, PDFTOPPM};

const DPI: &str = "30";
/// A pixel differs when its gray level is this far from the golden's.
const LEVELS: u8 = 64;
/// At most this share of a page's pixels may differ.
const SHARE: f64 = 0.004;

fn gray(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(
        info.color_type,
        png::ColorType::Grayscale,
        "{}",
        path.display()
    );
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// A binary PGM (P5, 8 bits) as pdftoppm writes it.
pub fn pgm(path: &Path) -> (u32, u32, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8(bytes[start..at].to_vec()).unwrap());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let (w, h): (u32, u32) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = bytes[at + 1..].to_vec();
    assert_eq!(data.len(), (w * h) as usize);
    (w, h, data)
}

/// Writes a grayscale PNG (the goldens).
fn write_png(path: &Path, w: u32, h: u32, data: &[u8]) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(data)
        .unwrap();
}

fn pages(pdf: &Path, prefix: &Path) -> Vec<PathBuf> {
    run(Command::new("pdftoppm")
        .args(["-gray", "-r", DPI])
        .arg(pdf)
        .arg(prefix));
    let mut out: Vec<PathBuf> = std::fs::read_dir(prefix.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(prefix.file_name().unwrap().to_str().unwrap()) && n.ends_with(".pgm")
            })
        })
        .collect();
    out.sort();
    out
}

#[test]
fn pages_match_the_reviewed_pictures() {
    if !have(&[PDFTOPPM]) {
        return;
    }
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("THIDUA_BLESS").is_some();
    for name in ["covenant", "results", "inspection", "vote", "year", "award"] {
        let shots = dir().join(format!("shots-{name}"));
        std::fs::create_dir_all(&shots).unwrap();
        let rendered = pages(&file(name).pdf, &shots.join(name));
        assert!(!rendered.is_empty());
        for (i, page) in rendered.iter().enumerate() {
            let golden = golden_dir.join(format!("{name}-{}.png", i + 1));
            let (w, h, got) = pgm(page);
            if bless {
                std::fs::create_dir_all(&golden_dir).unwrap();
                write_png(&golden, w, h, &got);
                continue;
            }
            let (gw, gh, want) = gray(&golden);
            assert_eq!((w, h), (gw, gh), "{name} page {}: size", i + 1);
            let differing = got
                .iter()
                .zip(&want)
                .filter(|(a, b)| a.abs_diff(**b) > LEVELS)
                .count();
            let share = differing as f64 / got.len() as f64;
            assert!(
                share <= SHARE,
                "{name} page {}: {:.2}% of the pixels differ from {} (picture in {})",
                i + 1,
                share * 100.0,
                golden.display(),
                page.display()
            );
        }
        let goldens = std::fs::read_dir(&golden_dir)
            .unwrap()
            .filter(|e| {
                let n = e.as_ref().unwrap().file_name();
                n.to_str().unwrap().starts_with(&format!("{name}-"))
            })
            .count();
        assert_eq!(goldens, rendered.len(), "{name}: as many pages as pictures");
    }
}
