//! Options shared by several subcommands: colour and language.

use std::io::IsTerminal;

use clap::ValueEnum;

/// `--color auto|always|never`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Resolves the choice for stdout: `auto` means colour only on a terminal, and never when
    /// `NO_COLOR` is set (to anything non-empty) or `TERM=dumb`.
    pub fn use_color_on_stdout(self) -> bool {
        self.resolve(std::io::stdout().is_terminal(), |name| {
            std::env::var_os(name)
        })
    }

    fn resolve(self, is_tty: bool, env: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = env("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = env("TERM").is_some_and(|v| v == "dumb");
                is_tty && !no_color && !dumb
            }
        }
    }
}

/// `--lang en|zh-Hant`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    #[value(name = "en")]
    En,
    #[value(name = "zh-Hant", alias = "zh-hant", alias = "zh_TW", alias = "zh-TW")]
    ZhHant,
}

impl LangChoice {
    /// The language from `--lang`, else from LC_ALL, LC_MESSAGES, LANG (the first one set):
    /// zh_TW, zh_HK, zh_MO and zh_Hant select Traditional Chinese; anything else English.
    pub fn resolve(explicit: Option<LangChoice>) -> LangChoice {
        explicit.unwrap_or_else(|| Self::from_env(|name| std::env::var(name).ok()))
    }

    fn from_env(env: impl Fn(&str) -> Option<String>) -> LangChoice {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(env)
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        let lower = value.to_ascii_lowercase().replace('-', "_");
        let traditional = ["zh_tw", "zh_hk", "zh_mo", "zh_hant"];
        if traditional.iter().any(|p| lower.starts_with(p)) {
            LangChoice::ZhHant
        } else {
            LangChoice::En
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn language_from_environment() {
        assert_eq!(
            LangChoice::from_env(env_of(&[("LANG", "zh_TW.UTF-8")])),
            LangChoice::ZhHant
        );
        assert_eq!(
            LangChoice::from_env(env_of(&[("LC_ALL", "zh_HK")])),
            LangChoice::ZhHant
        );
        assert_eq!(
            LangChoice::from_env(env_of(&[("LANG", "zh_Hant_TW")])),
            LangChoice::ZhHant
        );
        assert_eq!(
            LangChoice::from_env(env_of(&[("LANG", "zh_CN.UTF-8")])),
            LangChoice::En
        );
        assert_eq!(
            LangChoice::from_env(env_of(&[("LC_ALL", "C"), ("LANG", "zh_TW")])),
            LangChoice::En,
            "LC_ALL wins over LANG"
        );
        assert_eq!(LangChoice::from_env(env_of(&[])), LangChoice::En);
    }

    #[test]
    fn colour_rules() {
        let none = |_: &str| None;
        assert!(ColorChoice::Auto.resolve(true, none));
        assert!(!ColorChoice::Auto.resolve(false, none));
        assert!(ColorChoice::Always.resolve(false, none));
        let no_color = |name: &str| (name == "NO_COLOR").then(|| "1".into());
        assert!(!ColorChoice::Auto.resolve(true, no_color));
        let dumb = |name: &str| (name == "TERM").then(|| "dumb".into());
        assert!(!ColorChoice::Auto.resolve(true, dumb));
    }
}
