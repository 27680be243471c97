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

/// Whether an output is written in place instead of through a temporary
/// file: an existing device, pipe or socket (after following symlinks), or
/// any name under /dev or /proc.
fn writes_in_place(p: &Path) -> bool {
    let special = fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    special || absolute.starts_with("/dev") || absolute.starts_with("/proc")
}

/// The file a chain of symlinks ends at (the path itself when it is not a
/// symlink). A link to a file that does not exist yet resolves to that
/// file's path, so the output is created where the link points.
fn resolve_symlinks(p: &Path) -> PathBuf {
    let mut path = p.to_path_buf();
    // At most 40 links, as the kernel's own limit (ELOOP).
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&path) {
                Ok(target) => {
                    path = match path.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    }
                }
                Err(_) => return path,
            },
            _ => return path,
        }
    }
    path
}

/// The identity of a file for "is this the same file?": device and inode
/// when it exists (so two names of one file, hard links and symlinks
/// included, compare equal), else the absolute path with its folder's
/// symlinks resolved.
fn file_identity(p: &Path) -> Option<(u64, u64, PathBuf)> {
    if let Ok(m) = fs::metadata(p) {
        if !m.is_file() {
            return None; // devices (/dev/null) may be shared; folders are refused elsewhere
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return Some((m.dev(), m.ino(), PathBuf::new()));
        }
    }
    let resolved = resolve_symlinks(p);
    let dir = match resolved.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = fs::canonicalize(&dir).unwrap_or(dir);
    Some((0, 0, dir.join(resolved.file_name()?)))
}

/// Refuse, before anything is read or written, outputs that would destroy
/// an input (`score corpus.csv -o corpus.csv`) or each other (`-o x.csv
/// --matches x.csv`: only one of the two tables would survive). `inputs`
/// are the files read (folders and `-` are skipped: a folder is read for
/// texts only); `outputs` pairs each output with the option that names it.
pub fn check_distinct_outputs(inputs: &[&Path], outputs: &[(&str, &Path)]) -> Result<()> {
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

impl AtomicOutput {
    /// `None` or `-` writes to standard output.
    pub fn create(target: Option<&Path>) -> Result<Self> {
        match target {
            None => Ok(AtomicOutput { target: None, tmp: None, direct: None, append: false }),
            Some(p) if p == Path::new("-") => Ok(AtomicOutput { target: None, tmp: None, direct: None, append: false }),
            // /dev/null, a named pipe, or a name under /dev or /proc
            // (/dev/stdout is a symlink to /proc/self/fd/1, which points at
            // whatever standard output is, a file included): renaming over
            // it would replace the device or the link with a file, so write
            // to it directly. Appending writes a redirected file (`>` or
            // `>>`) at its end, as the shell's own writes would.
            Some(p) if writes_in_place(p) => {
                Ok(AtomicOutput { target: None, tmp: None, direct: Some(p.to_path_buf()), append: true })
            }
            Some(p) if p.is_dir() => Err(crate::error::Error::invalid(format!(
                "cannot write {}: it is a folder; give a file name (e.g. {})",
                p.display(),
                p.join("out.csv").display()
            ))),
            Some(p) => {
                // A symlink is followed: the file it points to is replaced
                // atomically and the link stays a link.
                let resolved = resolve_symlinks(p);
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
        check_parent(path)?;
        Ok(AtomicOutput { target: Some(path.to_path_buf()), tmp: None, direct: Some(path.to_path_buf()), append: true })
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
