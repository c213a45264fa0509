//! What the command line reads from its environment: the thread count of a sweep, and
//! whether to colour messages.

use super::args::ColorWhen;

/// Worker threads of a sweep: `--jobs`, else `ASGSIM_JOBS`, else `RAYON_NUM_THREADS` (as
/// rayon reads it: 0 or not a number means "not set"), else every available core. `var`
/// looks up an environment variable.
///
/// # Errors
///
/// `ASGSIM_JOBS` set to something other than a whole number ≥ 1.
pub(super) fn jobs(
    flag: Option<u16>,
    var: impl Fn(&str) -> Option<String>,
) -> Result<usize, String> {
    if let Some(n) = flag {
        return Ok(usize::from(n));
    }
    if let Some(text) = var("ASGSIM_JOBS") {
        return match text.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(format!(
                "ASGSIM_JOBS={text:?} is not a number of threads; set it to a whole number ≥ 1, or unset it to use every core"
            )),
        };
    }
    if let Some(n) = var("RAYON_NUM_THREADS")
        .and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1)
    {
        return Ok(n);
    }
    Ok(std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Whether to colour what goes to stderr: `--color always` or `never` decide; `auto`
/// colours a terminal unless `NO_COLOR` is set to anything non-empty (no-color.org).
pub(super) fn colour(when: ColorWhen, no_color: Option<String>, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// The `--color` given in raw arguments, read before clap parses them so that clap's own
/// messages (usage errors, help) follow it too.
pub fn colour_choice(args: &[std::ffi::OsString]) -> clap::ColorChoice {
    let mut when = None;
    let mut iter = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--color=") {
            when = Some(value.to_string());
        } else if arg == "--color" {
            when = iter.next().map(|v| v.to_string());
        }
    }
    match when.as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        // clap's auto already honours NO_COLOR.
        _ => clap::ColorChoice::Auto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn jobs_come_from_the_flag_then_asgsim_jobs_then_rayon() {
        let both = [("ASGSIM_JOBS", "3"), ("RAYON_NUM_THREADS", "5")];
        assert_eq!(jobs(Some(2), env(&both)), Ok(2));
        assert_eq!(jobs(None, env(&both)), Ok(3));
        assert_eq!(jobs(None, env(&[("RAYON_NUM_THREADS", "5")])), Ok(5));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(jobs(None, env(&[("RAYON_NUM_THREADS", "0")])), Ok(cores));
        assert_eq!(jobs(None, env(&[])), Ok(cores));
        for bad in ["0", "two", "-1", ""] {
            let e = jobs(None, env(&[("ASGSIM_JOBS", bad)])).unwrap_err();
            assert!(e.starts_with("ASGSIM_JOBS="), "{e}");
        }
    }

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_terminal() {
        assert!(colour(ColorWhen::Always, Some("1".into()), false));
        assert!(!colour(ColorWhen::Never, None, true));
        assert!(colour(ColorWhen::Auto, None, true));
        assert!(colour(ColorWhen::Auto, Some(String::new()), true));
        assert!(!colour(ColorWhen::Auto, Some("1".into()), true));
        assert!(!colour(ColorWhen::Auto, None, false));
        let args = |a: &[&str]| {
            a.iter()
                .map(Into::into)
                .collect::<Vec<std::ffi::OsString>>()
        };
        assert_eq!(
            colour_choice(&args(&["asgsim", "--color=never", "run"])),
            clap::ColorChoice::Never
        );
        assert_eq!(
            colour_choice(&args(&["asgsim", "run", "--color", "always"])),
            clap::ColorChoice::Always
        );
        assert_eq!(
            colour_choice(&args(&["asgsim", "run"])),
            clap::ColorChoice::Auto
        );
    }
}
