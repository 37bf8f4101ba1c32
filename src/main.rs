fn main() {
    std::process::exit(tm::run());
}
