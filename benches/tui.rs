//! Dashboard latency: time to first frame on the demo, and key-to-frame time (apply
//! an action + draw a 140×40 frame) with 100,000 findings.
//!
//! Run: `cargo bench --bench tui`. Targets: first frame ≤ 150 ms, key-to-frame ≤ 16 ms.
//! Plain `std::time::Instant` timing; prints a table of medians and 99th percentiles.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tierwise::Config;
use tierwise::input::Input;
use tierwise::report::{Finding, Report, summarize};
use tierwise::tui::{Action, App, AppOptions, FilterField, Keymap, LoadEvent, PreparedReport, Theme};

const WIDTH: u16 = 140;
const HEIGHT: u16 = 40;
const FINDINGS: usize = 100_000;

fn options() -> AppOptions {
    AppOptions {
        theme: Theme::default(),
        keymap: Keymap::default(),
        source_label: "bench".into(),
        width: WIDTH,
        height: HEIGHT,
    }
}

fn demo_report() -> Report {
    tierwise::commands::build_report(&Input::Demo { scale: 1, seed: tierwise::demo::DEFAULT_SEED }, &Config::default())
        .unwrap_or_else(|e| panic!("demo report: {e}"))
}

/// The demo's findings replicated, with distinct ids and resource names, to `n`.
fn replicated(report: &Report, n: usize) -> Report {
    assert!(!report.findings.is_empty(), "the demo has no findings to replicate");
    let mut findings: Vec<Finding> = Vec::with_capacity(n);
    let mut copy = 0;
    while findings.len() < n {
        for f in &report.findings {
            if findings.len() == n {
                break;
            }
            let mut f = f.clone();
            f.id = format!("{}-{copy}", f.id);
            f.resource.arn_or_id = format!("{}-{copy}", f.resource.arn_or_id);
            f.resource.name = format!("{}-{copy}", f.resource.name);
            findings.push(f);
        }
        copy += 1;
    }
    let summary = summarize(&findings, report.summary.monthly_spend_analyzed_usd);
    Report { findings, summary, ..report.clone() }
}

struct Stats {
    median: Duration,
    p99: Duration,
    max: Duration,
    n: usize,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats { median: at(0.5), p99: at(0.99), max: at(1.0), n: samples.len() }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, s: &Stats, target_ms: f64) {
    let verdict = if s.p99.as_secs_f64() * 1000.0 <= target_ms { "ok" } else { "OVER" };
    println!(
        "{name:<34} {:>6} {:>10} {:>10} {:>10} {:>8} {verdict}",
        s.n,
        ms(s.median),
        ms(s.p99),
        ms(s.max),
        format!("≤{target_ms}")
    );
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| tierwise::tui::render(frame, app)).unwrap_or_else(|e| match e {});
}

/// Time `iterations` of `step` (apply + draw); `reset` runs untimed after each.
fn key_to_frame(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    iterations: usize,
    mut step: impl FnMut(&mut App, usize),
    mut reset: impl FnMut(&mut App),
) -> Stats {
    let mut samples = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let start = Instant::now();
        step(app, i);
        draw(terminal, app);
        samples.push(start.elapsed());
        reset(app);
    }
    stats(samples)
}

fn main() {
    println!("tierwise TUI benchmark ({WIDTH}×{HEIGHT} TestBackend; times in ms)\n");
    println!("{:<34} {:>6} {:>10} {:>10} {:>10} {:>8}", "measure", "n", "median", "p99", "max", "target");

    // Time to first frame: what `tierwise --demo` does from start to the overview —
    // build the demo report and index it (loader thread), install it, draw.
    let mut firsts = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let prepared = PreparedReport::new(demo_report());
        let mut app = App::new(options());
        let _ = app.apply(Action::Load(LoadEvent::Prepared(Box::new(prepared))));
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap_or_else(|e| match e {});
        draw(&mut terminal, &app);
        firsts.push(start.elapsed());
    }
    row("first frame (demo: build + draw)", &stats(firsts), 150.0);

    let report = replicated(&demo_report(), FINDINGS);
    // What the loader thread does: index the findings, compute every sort order.
    let start = Instant::now();
    let prepared = PreparedReport::new(report);
    let prepare = start.elapsed();
    // What the UI thread does when the loader's result arrives.
    let start = Instant::now();
    let mut app = App::new(options());
    let _ = app.apply(Action::Load(LoadEvent::Prepared(Box::new(prepared))));
    let install = start.elapsed();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap_or_else(|e| match e {});
    draw(&mut terminal, &app);
    let _ = app.apply(Action::NextView);
    draw(&mut terminal, &app);
    println!(
        "\nwith {FINDINGS} findings (indexing on the loader thread {} ms, installing on the UI thread {} ms):",
        ms(prepare),
        ms(install)
    );

    let s = key_to_frame(&mut app, &mut terminal, 2_000, |a, _| drop(a.apply(Action::Down)), |_| {});
    row("j (move down)", &s, 16.0);
    let s = key_to_frame(&mut app, &mut terminal, 1_000, |a, _| drop(a.apply(Action::PageDown)), |_| {});
    row("PgDn", &s, 16.0);
    let s = key_to_frame(&mut app, &mut terminal, 200, |a, _| drop(a.apply(Action::SortNext)), |_| {});
    row("s (sort by the next column)", &s, 16.0);
    // First character of a search: a full scan of every finding.
    let chars = ['g', 'e', 's', '3', 'a', 'x'];
    let _ = app.apply(Action::StartSearch);
    let s = key_to_frame(
        &mut app,
        &mut terminal,
        200,
        |a, i| drop(a.apply(Action::SearchInput(chars[i % chars.len()]))),
        |a| drop(a.apply(Action::SearchBackspace)),
    );
    row("/ search: type one character", &s, 16.0);
    let _ = app.apply(Action::SearchCancel);
    let s = key_to_frame(
        &mut app,
        &mut terminal,
        200,
        |a, _| drop(a.apply(Action::CycleFilter(FilterField::Category))),
        |_| {},
    );
    row("c (cycle the category filter)", &s, 16.0);
    let _ = app.apply(Action::ClearFilters);
    let s =
        key_to_frame(&mut app, &mut terminal, 500, |a, _| drop(a.apply(Action::Open)), |a| drop(a.apply(Action::Back)));
    row("Enter (open the detail)", &s, 16.0);
}
