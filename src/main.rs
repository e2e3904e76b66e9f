//! tierwise binary: parse the command line, install error and panic reporting,
//! dispatch, and turn the outcome into an exit code. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // color-eyre formats panics; the TUI adds its own hook on top that restores the
    // terminal first. Failing to install it only loses pretty panic output.
    let _ = color_eyre::install();
    let cli = tierwise::cli::Cli::parse();
    match tierwise::commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("tierwise: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
