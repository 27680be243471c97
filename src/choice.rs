//! Named choices (formats, algorithms, weightings): one list per enum gives
//! the name used on the command line and in files, and a line of help. The
//! library knows nothing of the command line; the binary turns these lists
//! into its parsers and `--help` text.

pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every value: (name, value, one-line help).
    const CHOICES: &'static [(&'static str, Self, &'static str)];

    fn name(self) -> &'static str {
        Self::CHOICES.iter().find(|c| c.1 == self).map_or("?", |c| c.0)
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::CHOICES.iter().find(|c| c.0 == name).map(|c| c.1)
    }
}

/// `impl Choice` from a list of `"name" => Variant, "help"` lines.
#[macro_export]
macro_rules! choices {
    ($t:ty { $($name:literal => $v:expr, $help:literal;)+ }) => {
        impl $crate::choice::Choice for $t {
            const CHOICES: &'static [(&'static str, Self, &'static str)] = &[$(($name, $v, $help)),+];
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::choice::Choice::name(*self))
            }
        }
    };
}
