//! tierwise binary: parse the command line, install error and panic reporting,
//! dispatch, and turn the outcome into an exit code. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // color-eyre formats panics; the TUI adds its own hook on top that restores the
    // terminal first. Failing to install it only loses pretty panic output.
    let _ = color_eyre::install();
    let cli = tierwise::cli::Cli::parse();
    init_logging(cli.verbose);
    match tierwise::commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("tierwise: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Tracing logs on stderr: `RUST_LOG` wins; otherwise -v is info, -vv debug, else warnings only.
fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "tierwise=info,info",
        _ => "tierwise=debug,debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).without_time().try_init();
}
