//! End-to-end tests of watched sources: the real `outpost` binary watching temporary folders, and
//! an S3 prefix on a real S3-compatible server (moto) on 127.0.0.1. Each module says what it covers.

mod watch {
    #[cfg(unix)]
    pub mod folder_once;
    pub mod folder_run;
    pub mod s3;
    pub mod sources;
    pub mod support;
}
