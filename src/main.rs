fn main() {
    std::process::exit(tm::cli::run());
}
