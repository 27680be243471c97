//! The averaged perceptron (Collins 2002) with integer weights and the
//! "w - u/c" averaging trick (Daumé III), so no per-weight timestamps are
//! needed and training is exact and deterministic.

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy)]
struct Cell {
    class: u8,
    /// Current weight.
    w: i32,
    /// Sum of update * instance counter at update time.
    u: i64,
}

/// A feature's extra identity for the grouped `PrevTagWord` rows.
pub(crate) type TagWord = Option<(u8, u64)>;

#[derive(Debug, Default)]
pub(crate) struct Perceptron {
    n: usize,
    index: FxHashMap<u64, u32>,
    hashes: Vec<u64>,
    tag_word: Vec<TagWord>,
    rows: Vec<Vec<Cell>>,
    /// Instance counter, starting at 1.
    c: i64,
}

/// One averaged feature row.
pub(crate) struct AveragedRow {
    pub hash: u64,
    pub tag_word: TagWord,
    pub cells: Vec<(u8, f64)>,
}

impl Perceptron {
    pub fn new(n_classes: usize) -> Self {
        Perceptron { n: n_classes, c: 1, ..Default::default() }
    }

    /// Scores (current weights) of the features `feats` into `scores`.
    pub fn score(&self, feats: &[u64], scores: &mut [i64]) {
        scores[..self.n].fill(0);
        for h in feats {
            if let Some(&slot) = self.index.get(h) {
                for c in &self.rows[slot as usize] {
                    scores[c.class as usize] += c.w as i64;
                }
            }
        }
    }

    fn slot(&mut self, h: u64, tw: TagWord) -> usize {
        let next = self.rows.len() as u32;
        let slot = *self.index.entry(h).or_insert(next) as usize;
        if slot == self.rows.len() {
            self.rows.push(Vec::new());
            self.hashes.push(h);
            self.tag_word.push(tw);
        }
        slot
    }

    fn bump(&mut self, slot: usize, class: u8, delta: i32) {
        let c = self.c;
        let row = &mut self.rows[slot];
        match row.iter_mut().find(|cell| cell.class == class) {
            Some(cell) => {
                cell.w += delta;
                cell.u += c * delta as i64;
            }
            None => row.push(Cell { class, w: delta, u: c * delta as i64 }),
        }
    }

    /// Move weight from `guess` to `truth` on every feature; the last
    /// feature may carry its `PrevTagWord` identity.
    pub fn update(&mut self, feats: &[u64], tw: Option<(u64, u8, u64)>, truth: u8, guess: u8) {
        if truth == guess {
            return;
        }
        for &h in feats {
            let s = self.slot(h, None);
            self.bump(s, truth, 1);
            self.bump(s, guess, -1);
        }
        if let Some((h, t1, word)) = tw {
            let s = self.slot(h, Some((t1, word)));
            self.bump(s, truth, 1);
            self.bump(s, guess, -1);
        }
    }

    /// Count one training instance (call after its update).
    pub fn tick(&mut self) {
        self.c += 1;
    }

    /// The averaged weights, dropping those with |w| < `prune_below` (and
    /// exact zeros), rows in slot order, cells in class order.
    pub fn averaged(&self, prune_below: f64) -> Vec<AveragedRow> {
        let c = self.c as f64;
        let mut out = Vec::with_capacity(self.rows.len());
        for (slot, row) in self.rows.iter().enumerate() {
            let mut cells: Vec<(u8, f64)> = row
                .iter()
                .map(|cell| (cell.class, cell.w as f64 - cell.u as f64 / c))
                .filter(|&(_, a)| a != 0.0 && a.abs() >= prune_below)
                .collect();
            if cells.is_empty() {
                continue;
            }
            cells.sort_by_key(|&(k, _)| k);
            out.push(AveragedRow { hash: self.hashes[slot], tag_word: self.tag_word[slot], cells });
        }
        out
    }
}
