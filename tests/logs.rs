//! The log on stderr carries no colour codes when stderr is not a terminal (a pipe, a file, a
//! container's log collector): ANSI escapes around every field would end up in the stored logs.

use std::process::Command;

#[test]
fn logs_to_a_pipe_carry_no_ansi_colour_codes() {
    let missing = std::env::temp_dir().join(format!("ne-no-such-file-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("enrich")
        .arg(&missing)
        .env_remove("RUST_LOG")
        .env("NEWS_ENRICHER__LOG__LEVEL", "info")
        .env("NEWS_ENRICHER__LOG__FORMAT", "human")
        .output()
        .expect("run news-enricher");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Lines through tracing, whose level and fields the formatter colours at a terminal.
    assert!(stderr.contains("INFO"), "an INFO line:\n{stderr}");
    assert!(stderr.contains("took_ms="), "a field:\n{stderr}");
    assert!(
        !out.stderr.contains(&0x1b),
        "no ESC byte when stderr is a pipe:\n{stderr:?}"
    );
}
