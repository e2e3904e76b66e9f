//! Markdown presenter: a summary a human can paste into a PR or a chat.

use std::fmt::Write;

use super::currency::beside;
use super::model::{Chart, Finding, Report};
use crate::money::{usd, usd_or_unpriced};

pub fn to_markdown(report: &Report) -> String {
    let mut o = String::new();
    let s = &report.summary;
    let src = &report.source;
    let _ = writeln!(o, "# tierwise report\n");
    let _ = writeln!(
        o,
        "Source: **{}** {} · accounts {} · regions {} · window {} → {} ({:.0} days) · prices as of {}\n",
        src.kind,
        src.detail,
        src.accounts.join(", "),
        src.regions.join(", "),
        src.window.start,
        src.window.end,
        src.window.days,
        src.pricing_as_of
    );
    if !src.pricing.is_empty() {
        let regions: Vec<String> = src
            .pricing
            .iter()
            .map(|(region, p)| {
                let sources: Vec<String> =
                    p.sources.iter().map(|s| format!("{} ({} items)", s.detail, s.count)).collect();
                let rates = if p.rates.is_empty() { String::new() } else { format!("; rates: {}", p.rates) };
                match sources.is_empty() {
                    true => format!("{region}: no prices (unpriced; `tierwise pricing refresh --regions {region}`)"),
                    false => format!("{region}: {}{rates}", sources.join(", ")),
                }
            })
            .collect();
        let _ = writeln!(o, "Prices by region: {}\n", regions.join(" · "));
    }
    let cur = report.display_currency.as_ref();
    let money = |v: f64| format!("{}{}", usd(v), beside(cur, v));
    let share = s.savings_pct_of_spend.map(|p| format!(" ({p:.1} % of spend)")).unwrap_or_default();
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(
        o,
        "| Spend analysed | {} /month |",
        s.monthly_spend_analyzed_usd.map(money).unwrap_or_else(|| "unknown (no spend data)".into())
    );
    let _ = writeln!(o, "| Projected savings | **{} /month**{share} |", money(s.monthly_savings_usd));
    if let Some(list) = s.list_monthly_savings_usd {
        let _ = writeln!(o, "| At list prices | {} /month |", money(list));
    }
    let _ = writeln!(o, "| One-time cost | {} |", money(s.one_time_cost_usd));
    if s.monthly_cost_to_fix_usd > 0.0 {
        let _ = writeln!(o, "| Cost to fix risks | {} /month |", money(s.monthly_cost_to_fix_usd));
    }
    if let Some(c) = cur {
        let _ =
            writeln!(o, "| Display currency | {} at {} per USD (your rate, from tierwise.toml) |", c.code, c.usd_rate);
    }
    let _ = writeln!(
        o,
        "| Findings | {} ({} high confidence, {} unpriced) |\n",
        s.findings, s.high_confidence_findings, s.unpriced_findings
    );

    let _ = writeln!(o, "## Savings by category\n\n| category | findings | $/month |\n|---|---:|---:|");
    for (cat, c) in &s.by_category {
        if c.findings > 0 {
            let _ = writeln!(o, "| {cat} | {} | {} |", c.findings, usd(c.monthly_savings_usd));
        }
    }

    let _ = writeln!(o, "\n## Findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(o, "No findings.");
    } else {
        let _ = writeln!(
            o,
            "| $/month | rule | resource | region | current → recommended | confidence |\n|---:|---|---|---|---|---:|"
        );
        for f in &report.findings {
            let _ = writeln!(
                o,
                "| {}{} | {} | {} | {} | {} → {} | {:.0} % |",
                usd_or_unpriced(f.monthly_savings_usd),
                f.monthly_savings_usd.map(|v| beside(cur, v)).unwrap_or_default(),
                f.rule,
                cell(&f.resource.name),
                f.resource.region,
                cell(&f.current.description),
                cell(&f.recommended.description),
                f.confidence * 100.0
            );
        }
        let _ = writeln!(o, "\n## Details\n");
        for f in &report.findings {
            let _ = writeln!(o, "### {} — {} (`{}`)\n", f.rule, f.resource.name, f.id);
            let _ = writeln!(o, "{}\n", f.rationale);
            let m = |v: Option<f64>| format!("{}{}", usd_or_unpriced(v), v.map(|v| beside(cur, v)).unwrap_or_default());
            let _ = writeln!(
                o,
                "- Current: {} — {}/month\n- Recommended: {} — {}/month\n- Saving: {}/month, one-time {}",
                f.current.description,
                m(f.current.monthly_cost_usd),
                f.recommended.description,
                m(f.recommended.monthly_cost_usd),
                m(f.monthly_savings_usd),
                money(f.one_time_cost_usd)
            );
            pricing_lines(&mut o, f);
            if let Some(reason) = &f.unpriced_reason {
                let _ = writeln!(o, "- Unpriced: {reason}");
            }
            for t in &f.evidence.thresholds {
                let _ = writeln!(o, "- Threshold {}: {} {}", t.name, t.value, t.unit);
            }
            for st in &f.evidence.statistics {
                let _ = writeln!(o, "- Observed {}: {} {}", st.name, st.value, st.unit);
            }
            for chart in &f.evidence.charts {
                let title = match chart {
                    Chart::TimeSeries { title, .. }
                    | Chart::Histogram { title, .. }
                    | Chart::Matrix { title, .. }
                    | Chart::Ladder { title, .. } => title,
                };
                let _ = writeln!(o, "- Chart: {title} (see the JSON report or the TUI)");
            }
            for a in &f.actions {
                let lang = match a.kind.as_str() {
                    "aws-cli" => "sh",
                    "s3-lifecycle-json" => "json",
                    "terraform" => "hcl",
                    "k8s-manifest" => "yaml",
                    _ => "",
                };
                let _ = writeln!(o, "\n```{lang}\n{}\n```", a.text.trim_end());
            }
            let _ = writeln!(o);
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "## Warnings\n");
        for w in &report.warnings {
            let _ = writeln!(o, "- **{}**: {}", w.source, w.message);
        }
    }
    o
}

/// The finding's list figures (when not at list) and its price sources.
fn pricing_lines(o: &mut String, f: &Finding) {
    let Some(p) = &f.pricing else { return };
    if let Some(list) = &p.list {
        let _ = writeln!(
            o,
            "- At list prices: {} → {}, saving {}/month ({}{})",
            usd_or_unpriced(list.current_monthly_cost_usd),
            usd_or_unpriced(list.recommended_monthly_cost_usd),
            usd_or_unpriced(list.monthly_savings_usd),
            p.rates,
            if p.note.is_empty() { String::new() } else { format!(": {}", p.note) }
        );
    }
    if !p.sources.is_empty() {
        let sources: Vec<String> = p.sources.iter().map(|s| s.detail.clone()).collect();
        let _ = writeln!(o, "- Prices ({}): {}", p.region, sources.join("; "));
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dollars_are_grouped() {
        assert_eq!(super::usd(48210.0), "$48,210.00");
        assert_eq!(super::usd(912.345), "$912.35");
        assert_eq!(super::usd(-10.0), "-$10.00");
        assert_eq!(super::usd(0.0), "$0.00");
    }
}
