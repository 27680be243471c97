//! Files that appear only when complete. The lowest layer of writing:
//! model files, manifests and every table go through [`AtomicOutput`].

use crate::error::{Context, Result};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The outputs of this process so far: those being written (their
/// temporary files, so that an interrupted run can remove them: dropped
/// outputs remove their own, but a signal ends the process without running
/// destructors), those moved into place, and those given up before that.
pub struct OutputLog {
    /// (temporary file, target) of every output not yet committed.
    unfinished: Vec<(PathBuf, PathBuf)>,
    committed: Vec<PathBuf>,
    abandoned: Vec<PathBuf>,
}

static OUTPUTS: Mutex<OutputLog> =
    Mutex::new(OutputLog { unfinished: Vec::new(), committed: Vec::new(), abandoned: Vec::new() });

/// The log, also after a thread panicked while holding it.
fn log() -> MutexGuard<'static, OutputLog> {
    OUTPUTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl OutputLog {
    /// Outputs moved into place by this run (a previous version, if any, replaced).
    pub fn replaced(&self) -> &[PathBuf] {
        &self.committed
    }

    /// Outputs this run started but did not move into place: not written,
    /// their previous versions (if any) as they were. The unfinished ones
    /// too, after [`remove_unfinished`].
    pub fn not_written(&self) -> Vec<&Path> {
        self.abandoned.iter().chain(self.unfinished.iter().map(|(_, target)| target)).map(PathBuf::as_path).collect()
    }
}

/// Remove the temporary files of every output not yet committed: for the
/// binary's signal handler (Ctrl-C, SIGTERM), which then exits. The log
/// stays locked while the returned guard lives, so that no output is moved
/// into place after this (a commit under way finishes first, and one that
/// starts later waits for ever): hold it until the process exits, and
/// report [`OutputLog::replaced`] and [`OutputLog::not_written`].
pub fn remove_unfinished() -> MutexGuard<'static, OutputLog> {
    let log = log();
    for (tmp, _) in &log.unfinished {
        let _ = fs::remove_file(tmp);
    }
    log
}

/// A copy of the log as it is now: after a failed run, which outputs were
/// written before the failure and which were not.
pub fn output_log() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let log = log();
    (log.committed.clone(), log.not_written().into_iter().map(Path::to_path_buf).collect())
}

/// An output that appears only when complete: data goes to a temporary file
/// in the target's folder, renamed over the target by [`commit`]. If the run
/// fails or is interrupted, the previous file (if any) is untouched.
///
/// [`commit`]: AtomicOutput::commit
pub struct AtomicOutput {
    target: Option<PathBuf>,
    tmp: Option<tempfile::NamedTempFile>,
    /// A device, pipe or other non-regular file, or an output being
    /// resumed: written in place.
    direct: Option<PathBuf>,
    /// Append to `direct` instead of overwriting it.
    append: bool,
}

impl Drop for AtomicOutput {
    /// An output dropped without [`AtomicOutput::commit`] (a failed run):
    /// its temporary file removes itself, and the log records it as not
    /// written.
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let mut log = log();
            log.unfinished.retain(|(p, _)| p != tmp.path());
            if let Some(target) = &self.target {
                log.abandoned.push(target.clone());
            }
        }
    }
}

/// Where an output goes.
enum Placement {
    /// The process's own standard output (`-`, or a name of it: /dev/stdout,
    /// /dev/fd/1, /proc/self/fd/1, directly or through symlinks), so that a
    /// shell's `>>` or `{ ...; } > f` keeps what else it wrote there.
    Stdout,
    /// A name of the process's standard input (/dev/stdin, /dev/fd/0,
    /// /proc/self/fd/0): never an output, since it is read.
    Stdin,
    /// Written in place: another stream's name (/dev/stderr, /dev/fd/N,
    /// /proc/N/fd/M), or a device, pipe or socket.
    InPlace,
    /// Through a temporary file renamed over this path (the end of any
    /// chain of symlinks).
    Atomic(PathBuf),
}

fn placement(p: &Path) -> Placement {
    if p == Path::new("-") {
        return Placement::Stdout;
    }
    let chain = symlink_chain(p);
    let own = |fd: u32, text: &str| {
        text == format!("/dev/fd/{fd}")
            || text == format!("/proc/self/fd/{fd}")
            || text == format!("/proc/{}/fd/{fd}", std::process::id())
    };
    for name in &chain {
        let name = std::path::absolute(name).unwrap_or_else(|_| name.clone());
        let text = name.to_string_lossy();
        if text == "/dev/stdout" || own(1, &text) {
            return Placement::Stdout;
        }
        if text == "/dev/stdin" || own(0, &text) {
            return Placement::Stdin;
        }
        let stream = text.starts_with("/dev/fd/")
            || text == "/dev/stderr"
            || (text.starts_with("/proc/") && text.contains("/fd/"));
        if stream {
            return Placement::InPlace;
        }
    }
    if fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Placement::InPlace;
    }
    Placement::Atomic(chain.last().cloned().unwrap_or_else(|| p.to_path_buf()))
}

/// `p` and every name its chain of symlinks passes through, in order.
fn symlink_chain(p: &Path) -> Vec<PathBuf> {
    let mut chain = vec![p.to_path_buf()];
    // At most 40 links, as the kernel's own limit (ELOOP).
    for _ in 0..40 {
        let last = chain.last().expect("not empty");
        let next = match fs::symlink_metadata(last) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(last) {
                Ok(target) => match last.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                },
                Err(_) => break,
            },
            _ => break,
        };
        chain.push(next);
    }
    chain
}

/// The file a chain of symlinks ends at (the path itself when it is not a
/// symlink). A link to a file that does not exist yet resolves to that
/// file's path, so the output is created where the link points; its
/// manifest goes beside that file too ([`crate::output::manifest_path`]).
pub fn resolve_symlinks(p: &Path) -> PathBuf {
    symlink_chain(p).pop().unwrap_or_else(|| p.to_path_buf())
}

/// `p` as an absolute path without `.` or `..` parts, the symlinks of its
/// existing parts resolved: two spellings of one file that does not
/// exist yet (`newd/x.csv`, `./newd/x.csv`, `nod/../x.csv`) give the same
/// path, the one the file will be written at (a folder that does not exist
/// is created as a real folder, so `..` after it leads back up).
fn normalized(p: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            // `out` is canonical up to its first part that does not exist,
            // so going up is going up in the real tree.
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if let Ok(real) = fs::canonicalize(&out) {
                    out = real;
                }
            }
            root => out.push(root),
        }
    }
    out
}

/// Which file a path names, for "is this the same file?".
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    /// An existing regular file: device and inode, so that two names of
    /// one file (hard links, symlinks, `a/../x`) compare equal.
    File(u64, u64),
    /// A file that does not exist yet: where it will be written.
    New(PathBuf),
}

/// The identity of an existing regular file (following symlinks); None
/// for folders, devices, pipes and what does not exist.
fn existing_file(m: &fs::Metadata) -> Option<Identity> {
    if !m.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(Identity::File(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The identity of a file read or written by path. A path whose folders do
/// not all exist yet (`nod/../x.csv`) may still name an existing file: the
/// one at its normalised path.
fn identity(p: &Path) -> Option<Identity> {
    if let Ok(m) = fs::metadata(p) {
        return existing_file(&m).or_else(|| non_unix_identity(p, &m));
    }
    let at = normalized(&resolve_symlinks(p));
    match fs::metadata(&at) {
        Ok(m) => existing_file(&m).or_else(|| non_unix_identity(&at, &m)),
        Err(_) => Some(Identity::New(at)),
    }
}

/// Without inodes (not unix): a regular file by its canonical path.
fn non_unix_identity(p: &Path, m: &fs::Metadata) -> Option<Identity> {
    (cfg!(not(unix)) && m.is_file()).then(|| Identity::New(normalized(p)))
}

/// The identity of the regular file standard input (0) or output (1) is
/// redirected to, if it is one (`< corpus.csv`, `> out.csv`).
fn stream_identity(fd: i32) -> Option<Identity> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let owned = match fd {
            0 => io::stdin().as_fd().try_clone_to_owned(),
            _ => io::stdout().as_fd().try_clone_to_owned(),
        };
        existing_file(&fs::File::from(owned.ok()?).metadata().ok()?)
    }
    #[cfg(not(unix))]
    {
        let _ = fd;
        None
    }
}

/// What a run reads, for [`check_distinct_outputs`].
#[derive(Debug, Clone, Default)]
pub struct Reads<'a> {
    /// Files and folders read: the inputs (`-` is standard input), and
    /// lexicon, sides, dictionary, model and other files.
    pub paths: Vec<&'a Path>,
    /// Folders are read for every file that is not hidden (`--input-format
    /// txt`), not only for `.txt` and `.html` files.
    pub every_file_of_folders: bool,
    /// The folder `--write-text` writes each document's text to.
    pub text_folder: Option<&'a Path>,
}

impl<'a> Reads<'a> {
    /// Files read, no folder read for every file, no `--write-text`.
    pub fn files(paths: Vec<&'a Path>) -> Self {
        Reads { paths, ..Reads::default() }
    }

    /// The folders read, normalised.
    fn folders(&self) -> Vec<(&'a Path, PathBuf)> {
        self.paths.iter().filter(|p| p.is_dir()).map(|p| (*p, normalized(p))).collect()
    }

    /// The identity of each file read, with the name to show: standard
    /// input's file when it is redirected from one.
    fn file_identities(&self) -> Vec<(String, Identity)> {
        self.paths
            .iter()
            .filter_map(|p| {
                if *p == Path::new("-") {
                    stream_identity(0).map(|id| ("standard input (-)".to_string(), id))
                } else if p.is_dir() {
                    None
                } else {
                    identity(p).map(|id| (p.display().to_string(), id))
                }
            })
            .collect()
    }
}

fn refuse(message: String) -> Result<()> {
    Err(crate::error::Error::invalid(message))
}

/// Refuse, before anything is read or written, outputs that would destroy
/// an input or each other:
/// - an output that is a file read (`score corpus.csv -o corpus.csv`, also
///   through a hard link, a symlink, `nod/../corpus.csv`, standard input
///   redirected from it, or a stream such as /dev/fd/3 opened on it);
/// - an output naming standard input (/dev/stdin, /dev/fd/0);
/// - two outputs of one file (`-o x.csv --matches x.csv`: only one of the
///   two tables would survive), or two on standard output (their rows
///   would interleave);
/// - an output inside an input folder that the folder is read for (`.txt`,
///   `.html`; any file that is not hidden with `--input-format txt`), by
///   the name of the file it is written to (the end of a symlink), or a
///   hard link to a file the folder reads;
/// - a `--write-text` folder that would write over an input or an output
///   ([`check_text_folder`]).
///
/// `outputs` pairs each output with the option that names it (`-` is
/// standard output).
pub fn check_distinct_outputs(reads: &Reads, outputs: &[(&str, &Path)]) -> Result<()> {
    let read_files = reads.file_identities();
    let folders = reads.folders();
    let text_folder = reads.text_folder.map(normalized);
    // (flag, path, identity, replaced by a rename)
    let mut seen: Vec<(&str, &Path, Option<Identity>, bool)> = Vec::new();
    let mut on_stdout: Option<(&str, &Path)> = None;
    for &(flag, path) in outputs {
        let place = placement(path);
        let (id, atomic) = match &place {
            Placement::Stdin => {
                return refuse(format!(
                    "{flag} {} is standard input, which is read, not written; give an output file",
                    path.display()
                ))
            }
            Placement::Stdout => {
                if let Some((other_flag, other)) = on_stdout {
                    return refuse(format!(
                        "{other_flag} {} and {flag} {} both write to standard output, where their rows would \
                         interleave; give one of them a file",
                        other.display(),
                        path.display()
                    ));
                }
                on_stdout = Some((flag, path));
                (stream_identity(1), false)
            }
            Placement::InPlace => (fs::metadata(path).ok().and_then(|m| existing_file(&m)), false),
            Placement::Atomic(_) => (identity(path), true),
        };
        if let Some(id) = &id {
            if let Some((input, _)) = read_files.iter().find(|(_, read)| read == id) {
                return refuse(format!(
                    "{flag} {} is the input file {input}: writing it would destroy the input; choose another output name",
                    path.display(),
                ));
            }
            let clash =
                seen.iter().find(|(_, _, other, other_atomic)| other.as_ref() == Some(id) && (atomic || *other_atomic));
            if let Some((other_flag, other, _, _)) = clash {
                return refuse(format!(
                    "{other_flag} {} and {flag} {} name the same file: one output would replace the other; give each output its own file",
                    other.display(),
                    path.display()
                ));
            }
        }
        if let Placement::Atomic(target) = &place {
            let at = normalized(target);
            for (folder, normal) in &folders {
                let Ok(inside) = at.strip_prefix(normal) else { continue };
                if crate::read::folder_reads(inside, reads.every_file_of_folders) {
                    let which = if reads.every_file_of_folders {
                        "read for every file (--input-format txt)"
                    } else {
                        "read for .txt and .html files"
                    };
                    return refuse(format!(
                        "{flag} {} is inside the input folder {}, which is {which}: it would replace or become an \
                         input; write it elsewhere",
                        path.display(),
                        folder.display()
                    ));
                }
            }
            if let Some((folder, read)) = linked_into(id.as_ref(), path, &folders, reads.every_file_of_folders) {
                return refuse(format!(
                    "{flag} {} is another name (a hard link) of {}, which the input folder {} is read for: writing \
                     it would destroy the input; choose another output name",
                    path.display(),
                    read.display(),
                    folder.display()
                ));
            }
            if let (Some(dir), Some(normal)) = (reads.text_folder, &text_folder) {
                if at.starts_with(normal) && is_txt(&at) {
                    return refuse(format!(
                        "{flag} {} is inside the --write-text folder {}: a document's text could be written over \
                         it; write it elsewhere",
                        path.display(),
                        dir.display()
                    ));
                }
            }
        }
        seen.push((flag, path, id, atomic));
    }
    if let Some(dir) = reads.text_folder {
        check_text_folder(reads, dir)?;
    }
    Ok(())
}

/// An existing output with other names (hard links) may be a file an input
/// folder reads under another name: the folder and that file. Folders are
/// searched only for such an output, which is rare.
fn linked_into<'a>(
    id: Option<&Identity>,
    path: &Path,
    folders: &[(&'a Path, PathBuf)],
    every_file: bool,
) -> Option<(&'a Path, PathBuf)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(Identity::File(dev, ino)) = id else { return None };
        if fs::metadata(path).map_or(true, |m| m.nlink() < 2) {
            return None;
        }
        for (folder, normal) in folders {
            let found = walkdir::WalkDir::new(normal).into_iter().filter_map(|e| e.ok()).find(|e| {
                let rel = e.path().strip_prefix(normal).unwrap_or(e.path());
                e.file_type().is_file()
                    && crate::read::folder_reads(rel, every_file)
                    && e.metadata().is_ok_and(|m| m.dev() == *dev && m.ino() == *ino)
            });
            if let Some(entry) = found {
                return Some((folder, entry.into_path()));
            }
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = (id, path, folders, every_file);
        None
    }
}

/// A name `--write-text` could write (`<id>.txt`).
fn is_txt(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// `--write-text DIR` must not be, lie inside or hold an input folder (its
/// `.txt` files would replace or become inputs), nor hold a `.txt` file
/// read by the run: the text of the document whose id names it would be
/// written over it (`score texts/a.txt --write-text texts`).
pub fn check_text_folder(reads: &Reads, dir: &Path) -> Result<()> {
    let at = normalized(dir);
    for (folder, normal) in reads.folders() {
        let relation = if at.starts_with(&normal) {
            "is inside"
        } else if normal.starts_with(&at) {
            "holds"
        } else {
            continue;
        };
        return refuse(format!(
            "--write-text {} {relation} the input folder {}: its .txt files would replace or become inputs; \
             write them elsewhere",
            dir.display(),
            folder.display()
        ));
    }
    for input in reads.paths.iter().filter(|p| **p != Path::new("-") && !p.is_dir()) {
        let file = normalized(&resolve_symlinks(input));
        if file.starts_with(&at) && is_txt(&file) {
            return refuse(format!(
                "--write-text {} holds the input file {}: the text of a document could be written over it; \
                 write the texts elsewhere",
                dir.display(),
                input.display()
            ));
        }
    }
    Ok(())
}

impl AtomicOutput {
    /// `None` or `-` writes to standard output.
    pub fn create(target: Option<&Path>) -> Result<Self> {
        let Some(p) = target else {
            return Ok(AtomicOutput { target: None, tmp: None, direct: None, append: false });
        };
        match placement(p) {
            Placement::Stdout => Ok(AtomicOutput { target: None, tmp: None, direct: None, append: false }),
            Placement::Stdin => Err(crate::error::Error::invalid(format!(
                "cannot write {}: it is standard input, which is read, not written; give an output file",
                p.display()
            ))),
            // /dev/stderr, /dev/fd/N, a device, a named pipe: renaming over
            // it would replace the device or the link with a file, so write
            // to it directly. Appending writes a file the shell redirected
            // the stream to (`2>` or `2>>`) at its end, as the shell would.
            Placement::InPlace => {
                Ok(AtomicOutput { target: None, tmp: None, direct: Some(p.to_path_buf()), append: true })
            }
            Placement::Atomic(_) if p.is_dir() => Err(crate::error::Error::invalid(format!(
                "cannot write {}: it is a folder; give a file name (e.g. {})",
                p.display(),
                p.join("out.csv").display()
            ))),
            // A symlink is followed: the file it points to is replaced
            // atomically and the link stays a link.
            Placement::Atomic(resolved) => {
                let p = resolved.as_path();
                check_parent(p)?;
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let tmp = tempfile::Builder::new()
                    .prefix(&format!(".{name}."))
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .with_context(|| {
                        format!("cannot create a temporary file in {} for {}", dir.display(), p.display())
                    })?;
                log().unfinished.push((tmp.path().to_path_buf(), p.to_path_buf()));
                Ok(AtomicOutput { target: Some(p.to_path_buf()), tmp: Some(tmp), direct: None, append: false })
            }
        }
    }

    /// Append to `path` in place (creating it if needed): used by
    /// `score --resume`, where every flushed batch must survive a kill.
    pub fn append(path: &Path) -> Result<Self> {
        let path = resolve_symlinks(path);
        check_parent(&path)?;
        Ok(AtomicOutput { target: Some(path.clone()), tmp: None, direct: Some(path), append: true })
    }

    /// The regular file this output becomes (None for stdout and devices,
    /// which get no manifest).
    pub fn path(&self) -> Option<&Path> {
        self.target.as_deref()
    }

    /// The output's name in messages: its file, or standard output.
    pub fn name(&self) -> String {
        match (&self.target, &self.direct) {
            (Some(p), _) | (None, Some(p)) => p.display().to_string(),
            (None, None) => "standard output".to_string(),
        }
    }

    /// A buffered writer for the data. Its errors name the output (`cannot
    /// write x.csv: No space left on device`), whoever writes through it.
    pub fn writer(&self) -> Result<Box<dyn Write + Send>> {
        let inner: Box<dyn Write + Send> = match (&self.tmp, &self.direct) {
            (Some(t), _) => Box::new(BufWriter::with_capacity(
                1 << 16,
                t.reopen().with_context(|| format!("cannot reopen the temporary file for {}", self.name()))?,
            )),
            (None, Some(d)) => Box::new(BufWriter::new(
                fs::OpenOptions::new()
                    .write(true)
                    .append(self.append)
                    .create(self.append)
                    .open(d)
                    .with_context(|| format!("cannot write to {}", d.display()))?,
            )),
            (None, None) => Box::new(BufWriter::new(io::stdout())),
        };
        Ok(Box::new(Named { inner, name: self.name() }))
    }

    /// Move the finished file into place. The output log stays locked
    /// from the start of the move to its record, so that an interrupt
    /// reports the move as done or not done ([`remove_unfinished`]).
    pub fn commit(mut self) -> Result<()> {
        if let (Some(tmp), Some(target)) = (self.tmp.take(), self.target.take()) {
            let mut log = log();
            log.unfinished.retain(|(p, _)| p != tmp.path());
            tmp.as_file().sync_all().ok();
            // Temporary files are private (0600); outputs get the existing
            // file's permissions, or the usual 0644 for a new file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&target).map(|m| m.permissions().mode() & 0o777).unwrap_or(0o644);
                fs::set_permissions(tmp.path(), fs::Permissions::from_mode(mode)).ok();
            }
            match tmp.persist(&target) {
                Ok(_) => log.committed.push(target),
                Err(e) => {
                    log.abandoned.push(target.clone());
                    return Err(e.error).with_context(|| {
                        format!("cannot move the finished output into place at {}", target.display())
                    });
                }
            }
        }
        Ok(())
    }
}

/// A writer whose errors name the file written (the error kind is kept, so
/// a closed pipe is still told apart).
struct Named {
    inner: Box<dyn Write + Send>,
    name: String,
}

impl Named {
    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("cannot write {}: {e}", self.name))
    }
}

impl Write for Named {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.named(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|e| self.named(e))
    }
}

/// Create the folder for an output if it does not exist yet, with a clear
/// error when that is impossible.
pub fn check_parent(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot write {}: cannot create folder {}", path.display(), dir.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_tells_committed_outputs_from_abandoned_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        fs::write(&b, "OLD").unwrap();
        let first = AtomicOutput::create(Some(&a)).unwrap();
        let second = AtomicOutput::create(Some(&b)).unwrap();
        let pending = |p: &Path| log().unfinished.iter().any(|(_, target)| target == p);
        assert!(pending(&a) && pending(&b));
        first.writer().unwrap().write_all(b"new").unwrap();
        first.commit().unwrap();
        drop(second);
        let (written, not_written) = output_log();
        assert!(written.contains(&a) && !written.contains(&b), "{written:?}");
        assert!(not_written.contains(&b) && !not_written.contains(&a), "{not_written:?}");
        assert!(!pending(&a) && !pending(&b));
        assert_eq!(fs::read_to_string(&b).unwrap(), "OLD");
    }

    #[test]
    fn a_path_through_a_missing_folder_is_the_file_it_leads_to() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("in.csv");
        fs::write(&file, "x").unwrap();
        let through = dir.path().join("missing/../in.csv");
        assert_eq!(identity(&through), identity(&file));
        assert!(matches!(identity(&file), Some(Identity::File(..))) || cfg!(not(unix)));
        let new = dir.path().join("new.csv");
        assert_eq!(identity(&dir.path().join("nod/./../new.csv")), identity(&new));
        assert!(!dir.path().join("missing").exists());
    }
}
