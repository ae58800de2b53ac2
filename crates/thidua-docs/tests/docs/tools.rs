//! The outside programs the tests check our files with: LibreOffice (opens and converts every
//! DOCX), poppler's pdftotext and pdftoppm (text, positions, pictures of our PDFs). Missing
//! outside CI: the test says so and skips; with `CI=true`: the test fails.

use std::path::Path;
use std::process::Command;

/// True when `tools` are all installed; otherwise skips (or fails in CI) naming the package.
pub fn have(tools: &[(&str, &str)]) -> bool {
    tools.iter().all(|(cmd, package)| {
        let arg = if *cmd == "soffice" { "--version" } else { "-v" };
        thidua_test_support::program(cmd, arg, package).is_some()
    })
}

pub const POPPLER: (&str, &str) = ("pdftotext", "poppler-utils");
pub const PDFTOPPM: (&str, &str) = ("pdftoppm", "poppler-utils");
pub const SOFFICE: (&str, &str) = ("soffice", "libreoffice-writer-nogui");

/// Runs a program, panicking with its error output when it fails.
pub fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("the program runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The text of a PDF (pdftotext, layout kept, UTF-8).
pub fn pdf_text(pdf: &Path) -> String {
    let out = run(Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-"));
    String::from_utf8(out).expect("pdftotext writes UTF-8")
}

/// The title in a PDF's information (pdfinfo).
pub fn pdf_title(pdf: &Path) -> String {
    let out = run(Command::new("pdfinfo").args(["-enc", "UTF-8"]).arg(pdf));
    let info = String::from_utf8(out).expect("pdfinfo writes UTF-8");
    info.lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .map(|t| t.trim().to_owned())
        .unwrap_or_default()
}

/// Converts DOCX files to PDF with LibreOffice (one run, a throwaway profile); returns the PDFs.
pub fn soffice_to_pdf(dir: &Path, docx: &[&Path]) -> Vec<std::path::PathBuf> {
    let profile = dir.join("lo-profile");
    let out_dir = dir.join("lo");
    run(Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&out_dir)
        .args(docx));
    docx.iter()
        .map(|d| {
            let pdf = out_dir.join(d.with_extension("pdf").file_name().unwrap());
            assert!(pdf.exists(), "LibreOffice did not convert {}", d.display());
            pdf
        })
        .collect()
}
