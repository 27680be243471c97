//! The two tag sets: Universal Dependencies UPOS (17 tags) and the Penn
//! Treebank XPOS tags used by UD English EWT (49 tags). Both are fixed here,
//! independent of any model, so callers can match on them (`Upos::Verb`,
//! `Xpos::VBD`) and a model's label list is checked against them on load.

use std::fmt;

/// A Universal Dependencies part-of-speech tag.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Upos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

impl Upos {
    /// Every tag, in `repr(u8)` order.
    pub const ALL: [Upos; 17] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    const NAMES: [&'static str; 17] = [
        "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ",
        "SYM", "VERB", "X",
    ];

    /// The UD name, e.g. `"PROPN"`.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Parse a UD name (exact, upper case).
    pub fn from_name(name: &str) -> Option<Upos> {
        Self::NAMES.iter().position(|&n| n == name).map(|i| Self::ALL[i])
    }

    pub fn from_u8(v: u8) -> Option<Upos> {
        Self::ALL.get(v as usize).copied()
    }
}

impl fmt::Display for Upos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! xpos_tags {
    ($($id:ident = $name:literal),* $(,)?) => {
        /// Names of the Penn tags, indexed by [`Xpos::id`].
        const XPOS_NAMES: &[&str] = &[$($name),*];
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u8)]
        enum XposIndex { $($id),* }
        impl Xpos {
            $(#[doc = concat!("Penn tag `", $name, "`.")] pub const $id: Xpos = Xpos(XposIndex::$id as u8);)*
        }
    };
}

/// A Penn Treebank tag as used by UD English EWT, as a compact id (one
/// byte). Tags whose Penn spelling is not an identifier have descriptive
/// constant names: `$` is [`Xpos::DOLLAR`], `,` [`Xpos::COMMA`], `PRP$`
/// [`Xpos::PRP_POSS`], `-LRB-` [`Xpos::LRB`], `` ` `` [`Xpos::OPEN_QUOTE`] …
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Xpos(u8);

xpos_tags! {
    DOLLAR = "$", CLOSE_QUOTE = "''", COMMA = ",", LRB = "-LRB-", RRB = "-RRB-", PERIOD = ".", COLON = ":",
    ADD = "ADD", AFX = "AFX", CC = "CC", CD = "CD", DT = "DT", EX = "EX", FW = "FW", GW = "GW", HYPH = "HYPH",
    IN = "IN", JJ = "JJ", JJR = "JJR", JJS = "JJS", LS = "LS", MD = "MD", NFP = "NFP", NN = "NN", NNP = "NNP",
    NNPS = "NNPS", NNS = "NNS", PDT = "PDT", POS = "POS", PRP = "PRP", PRP_POSS = "PRP$", RB = "RB", RBR = "RBR",
    RBS = "RBS", RP = "RP", SYM = "SYM", TO = "TO", UH = "UH", VB = "VB", VBD = "VBD", VBG = "VBG", VBN = "VBN",
    VBP = "VBP", VBZ = "VBZ", WDT = "WDT", WP = "WP", WP_POSS = "WP$", WRB = "WRB", OPEN_QUOTE = "``",
}

impl Xpos {
    /// Number of tags in the set.
    pub const COUNT: usize = XPOS_NAMES.len();

    /// The Penn spelling, e.g. `"VBD"` or `"PRP$"`.
    pub fn as_str(self) -> &'static str {
        XPOS_NAMES[self.0 as usize]
    }

    /// The compact id (`0..Xpos::COUNT`).
    pub fn id(self) -> u8 {
        self.0
    }

    pub fn from_id(id: u8) -> Option<Xpos> {
        ((id as usize) < Self::COUNT).then_some(Xpos(id))
    }

    /// Parse a Penn spelling (exact).
    pub fn from_name(name: &str) -> Option<Xpos> {
        XPOS_NAMES.iter().position(|&n| n == name).map(|i| Xpos(i as u8))
    }

    /// Every tag, in id order.
    pub fn all() -> impl Iterator<Item = Xpos> {
        (0..Self::COUNT as u8).map(Xpos)
    }
}

impl fmt::Debug for Xpos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Xpos({})", self.as_str())
    }
}

impl fmt::Display for Xpos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tags of one token: two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PosTag {
    pub upos: Upos,
    pub xpos: Xpos,
}

impl PosTag {
    pub fn new(upos: Upos, xpos: Xpos) -> Self {
        PosTag { upos, xpos }
    }

    /// Parse the `UPOS|XPOS` spelling used in model files, e.g. `"AUX|MD"`.
    pub fn parse_pair(s: &str) -> Option<PosTag> {
        let (u, x) = s.split_once('|')?;
        Some(PosTag { upos: Upos::from_name(u)?, xpos: Xpos::from_name(x)? })
    }
}

impl fmt::Display for PosTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|{}", self.upos, self.xpos)
    }
}
