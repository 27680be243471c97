//! Files that appear only when complete. The lowest layer of writing:
//! model files, manifests and every table go through [`AtomicOutput`].

use crate::error::{Context, Result};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files of outputs not yet committed, so that an interrupted
/// run can remove them ([`remove_unfinished`]): dropped outputs remove
/// their own, but a signal ends the process without running destructors.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register(path: &Path) {
    if let Ok(mut list) = UNFINISHED.lock() {
        list.push(path.to_path_buf());
    }
}

fn unregister(path: &Path) {
    if let Ok(mut list) = UNFINISHED.lock() {
        list.retain(|p| p != path);
    }
}

/// Remove the temporary files of every output not yet committed: for the
/// binary's signal handler (Ctrl-C, SIGTERM), after which it exits. The
/// previous outputs are untouched, as after any failed run.
pub fn remove_unfinished() {
    if let Ok(list) = UNFINISHED.lock() {
        for p in list.iter() {
            let _ = fs::remove_file(p);
        }
    }
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
    /// its temporary file removes itself.
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            unregister(tmp.path());
        }
    }
}

/// Where an output goes.
enum Placement {
    /// The process's own standard output (`-`, or a name of it: /dev/stdout,
    /// /dev/fd/1, /proc/self/fd/1, directly or through symlinks), so that a
    /// shell's `>>` or `{ ...; } > f` keeps what else it wrote there.
    Stdout,
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
    for name in &chain {
        let name = std::path::absolute(name).unwrap_or_else(|_| name.clone());
        let text = name.to_string_lossy();
        if matches!(text.as_ref(), "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1")
            || text == format!("/proc/{}/fd/1", std::process::id())
        {
            return Placement::Stdout;
        }
        let stream = text.starts_with("/dev/fd/")
            || matches!(text.as_ref(), "/dev/stderr" | "/dev/stdin")
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

/// `p` as an absolute path without `.` or `..` parts, its longest existing
/// ancestor's symlinks resolved: two spellings of one file that does not
/// exist yet (`newd/x.csv`, `./newd/x.csv`) give the same path.
fn normalized(p: &Path) -> PathBuf {
    let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.iter().rev() {
        match part.to_str() {
            Some(".") => {}
            Some("..") => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out
}

/// The identity of an output or input for "is this the same file?": device
/// and inode when it exists (so two names of one file, hard links and
/// symlinks included, compare equal), else its normalised path (symlinks
/// followed). None for what is written in place (standard output and
/// other streams, devices: they may be shared) and for folders.
fn file_identity(p: &Path) -> Option<(u64, u64, PathBuf)> {
    if !matches!(placement(p), Placement::Atomic(_)) {
        return None;
    }
    if let Ok(m) = fs::metadata(p) {
        if !m.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return Some((m.dev(), m.ino(), PathBuf::new()));
        }
    }
    Some((0, 0, normalized(&resolve_symlinks(p))))
}

/// Extensions of the files a folder input is read for: an output with one
/// of them inside such a folder would be read as input by the next run.
const FOLDER_READS: [&str; 4] = ["txt", "html", "htm", "gz"];

/// Refuse, before anything is read or written, outputs that would destroy
/// an input (`score corpus.csv -o corpus.csv`) or each other (`-o x.csv
/// --matches x.csv`: only one of the two tables would survive), and
/// outputs of the kinds a folder input is read for inside that folder
/// (`score corpus/ -o corpus/notes.txt`). `inputs` are the files and
/// folders read (`-` is skipped); `outputs` pairs each output with the
/// option that names it.
pub fn check_distinct_outputs(inputs: &[&Path], outputs: &[(&str, &Path)]) -> Result<()> {
    let folders: Vec<PathBuf> = inputs.iter().filter(|p| p.is_dir()).map(|p| normalized(p)).collect();
    let outputs: Vec<_> = outputs
        .iter()
        .filter(|(_, p)| *p != Path::new("-"))
        .filter_map(|&(flag, p)| file_identity(p).map(|id| (flag, p, id)))
        .collect();
    for (i, (flag, path, id)) in outputs.iter().enumerate() {
        for input in inputs.iter().filter(|p| **p != Path::new("-") && !p.is_dir()) {
            if file_identity(input).as_ref() == Some(id) {
                return Err(crate::error::Error::invalid(format!(
                    "{flag} {} is the input file {}: writing it would destroy the input; choose another output name",
                    path.display(),
                    input.display()
                )));
            }
        }
        let read_by_folders = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| FOLDER_READS.contains(&e.to_ascii_lowercase().as_str()));
        if read_by_folders {
            let at = normalized(&resolve_symlinks(path));
            if let Some(folder) = folders.iter().find(|f| at.starts_with(f)) {
                return Err(crate::error::Error::invalid(format!(
                    "{flag} {} is inside the input folder {}, which is read for such files: it would replace \
                     or become an input; write it elsewhere",
                    path.display(),
                    folder.display()
                )));
            }
        }
        if let Some((other_flag, other, _)) = outputs[..i].iter().find(|(_, _, other_id)| other_id == id) {
            return Err(crate::error::Error::invalid(format!(
                "{other_flag} {} and {flag} {} name the same file: one table would replace the other; give each output its own file",
                other.display(),
                path.display()
            )));
        }
    }
    Ok(())
}

/// `--write-text DIR` must not be, or lie inside, an input folder: its
/// `.txt` files would replace inputs or be read as inputs by the next run.
pub fn check_text_folder(inputs: &[&Path], dir: &Path) -> Result<()> {
    let at = normalized(dir);
    for folder in inputs.iter().filter(|p| p.is_dir()) {
        let f = normalized(folder);
        if at.starts_with(&f) {
            return Err(crate::error::Error::invalid(format!(
                "--write-text {} is inside the input folder {}: its .txt files would replace or become inputs; \
                 write them elsewhere",
                dir.display(),
                folder.display()
            )));
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
                register(tmp.path());
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

    /// A buffered writer for the data.
    pub fn writer(&self) -> Result<Box<dyn Write + Send>> {
        Ok(match (&self.tmp, &self.direct) {
            (Some(t), _) => {
                Box::new(BufWriter::with_capacity(1 << 16, t.reopen().context("cannot reopen temporary output file")?))
            }
            (None, Some(d)) => Box::new(BufWriter::new(
                fs::OpenOptions::new()
                    .write(true)
                    .append(self.append)
                    .create(self.append)
                    .open(d)
                    .with_context(|| format!("cannot write to {}", d.display()))?,
            )),
            (None, None) => Box::new(BufWriter::new(io::stdout())),
        })
    }

    /// Move the finished file into place.
    pub fn commit(mut self) -> Result<()> {
        if let (Some(tmp), Some(target)) = (self.tmp.take(), self.target.take()) {
            unregister(tmp.path());
            tmp.as_file().sync_all().ok();
            // Temporary files are private (0600); outputs get the existing
            // file's permissions, or the usual 0644 for a new file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&target).map(|m| m.permissions().mode() & 0o777).unwrap_or(0o644);
                fs::set_permissions(tmp.path(), fs::Permissions::from_mode(mode)).ok();
            }
            tmp.persist(&target)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot move the finished output into place at {}", target.display()))?;
        }
        Ok(())
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
