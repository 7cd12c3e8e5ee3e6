//! The two languages of camnang's own messages and pages: Vietnamese (default) and English.

use std::fmt;
use std::str::FromStr;

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" => Ok(Lang::Vi),
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}` (use vi or en)")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `n` and an English noun, singular for exactly one: `count_en(1, "guide", "guides")` is
/// `1 guide`, `count_en(2, "guide", "guides")` is `2 guides`. Vietnamese nouns have no plural.
pub fn count_en(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A message in both languages.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Text {
    pub en: String,
    pub vi: String,
}

impl Text {
    pub fn new(en: impl Into<String>, vi: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            vi: vi.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.vi.is_empty()
    }
}

/// `tx!("english {}", "tiếng Việt {}", args…)`: a [`Text`] formatted in both languages.
#[macro_export]
macro_rules! tx {
    ($en:literal, $vi:literal $(, $arg:expr)* $(,)?) => {
        $crate::i18n::Text::new(format!($en $(, $arg)*), format!($vi $(, $arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::count_en;

    #[test]
    fn english_counts_are_singular_only_for_one() {
        assert_eq!(count_en(0, "guide", "guides"), "0 guides");
        assert_eq!(count_en(1, "guide", "guides"), "1 guide");
        assert_eq!(count_en(2, "guide", "guides"), "2 guides");
    }
}
