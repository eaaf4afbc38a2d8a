//! Operating-system errors in the user's language. The model does no I/O, but every crate that
//! does shows its errors as a [`Text`]; the OS's own message (English, from the C library) is
//! kept as detail, so that a Chinese user reads the cause in Chinese and a support person still
//! sees the exact error.

use crate::finding::Text;
use std::io::{Error, ErrorKind};

/// The error's cause in Chinese with the OS message as detail, and the OS message in English.
/// The path a library may have added is left out: callers name the path the user gave.
pub fn io_error_text(e: &Error) -> Text {
    let os = match e.raw_os_error() {
        Some(code) => Error::from_raw_os_error(code).to_string(),
        None => e.kind().to_string(),
    };
    let cause = match e.kind() {
        ErrorKind::NotFound => "找不到该文件或文件夹",
        ErrorKind::PermissionDenied => "没有访问权限",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::IsADirectory => "这是文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一段不是文件夹",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::StorageFull => "磁盘空间已满",
        ErrorKind::QuotaExceeded => "超出磁盘配额",
        ErrorKind::ReadOnlyFilesystem => "文件系统是只读的",
        ErrorKind::FileTooLarge => "文件过大",
        ErrorKind::InvalidFilename => "文件名无效",
        ErrorKind::CrossesDevices => "不能跨磁盘移动文件",
        ErrorKind::TooManyLinks => "链接过多",
        ErrorKind::InvalidData => "数据无效",
        ErrorKind::InvalidInput => "参数无效",
        ErrorKind::UnexpectedEof => "文件意外结束",
        ErrorKind::BrokenPipe => "输出管道已被关闭",
        ErrorKind::Interrupted => "操作被中断",
        ErrorKind::TimedOut => "操作超时",
        ErrorKind::WouldBlock => "资源暂时不可用",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::Unsupported => "不支持该操作",
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => "文件正被占用",
        ErrorKind::Deadlock => "文件锁冲突",
        ErrorKind::WriteZero => "无法写入更多数据",
        _ => "系统错误",
    };
    Text::new(format!("{cause}（{os}）"), os)
}

/// The message a third-party library panicked with (a `&str` or a `String`; empty otherwise), for
/// the crates that turn such a panic into an error the user can read.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_errors_read_in_chinese_with_the_os_message_kept() {
        let t = io_error_text(&Error::from_raw_os_error(2));
        assert!(t.zh.starts_with("找不到该文件或文件夹（"), "{}", t.zh);
        assert!(t.zh.contains("os error 2"), "{}", t.zh);
        assert_eq!(t.en, Error::from_raw_os_error(2).to_string());
        let t = io_error_text(&Error::from_raw_os_error(13));
        assert!(t.zh.starts_with("没有访问权限"), "{}", t.zh);
        // An error without an OS code still names its kind.
        let t = io_error_text(&Error::from(ErrorKind::NotFound));
        assert_eq!(t.en, "entity not found");
        assert!(t.zh.starts_with("找不到该文件或文件夹"));
    }
}
