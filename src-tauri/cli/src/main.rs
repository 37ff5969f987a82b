//! `outpost`: the headless command-line interface to a rep's local Outpost data.

fn main() -> std::process::ExitCode {
    outpost_core::cli::main()
}
