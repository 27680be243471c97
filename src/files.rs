//! Files that appear only when complete. The lowest layer of writing:
//! model files, manifests and every table go through [`AtomicOutput`].

use crate::error::{Context, Result};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

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

impl AtomicOutput {
    /// `None` or `-` writes to standard output.
    pub fn create(target: Option<&Path>) -> Result<Self> {
        match target {
            None => Ok(AtomicOutput { target: None, tmp: None, direct: None, append: false }),
            Some(p) if p == Path::new("-") => Ok(AtomicOutput { target: None, tmp: None, direct: None, append: false }),
            // /dev/null, /dev/stdout, a named pipe: renaming over it would
            // replace the device with a file, so write to it directly.
            Some(p) if fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
                Ok(AtomicOutput { target: None, tmp: None, direct: Some(p.to_path_buf()), append: false })
            }
            Some(p) => {
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
    pub fn commit(self) -> Result<()> {
        if let (Some(tmp), Some(target)) = (self.tmp, self.target) {
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
