//! Lists every legacy backup checkpoint of one cluster, across all pages.
//!
//! ```text
//! cargo run -p atlas-admin --example list_checkpoints -- <groupId> <clusterName>
//! ```
//!
//! Credentials come from the environment, as in the Atlas documentation: a service
//! account (`MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_CLIENT_SECRET`) or an API key pair
//! for Digest (`MONGODB_ATLAS_PUBLIC_KEY`, `MONGODB_ATLAS_PRIVATE_KEY`).
//! `MONGODB_ATLAS_BASE_URL` points the client at another server.

use std::env;
use std::process::ExitCode;

use atlas_admin::{Client, ServiceAccount};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = env::args().skip(1);
    let (Some(group_id), Some(cluster_name)) = (args.next(), args.next()) else {
        return Err("usage: list_checkpoints <groupId> <clusterName>".into());
    };

    let mut builder = Client::builder();
    if let Ok(base_url) = env::var("MONGODB_ATLAS_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    builder = match (
        env::var("MONGODB_ATLAS_CLIENT_ID"),
        env::var("MONGODB_ATLAS_CLIENT_SECRET"),
        env::var("MONGODB_ATLAS_PUBLIC_KEY"),
        env::var("MONGODB_ATLAS_PRIVATE_KEY"),
    ) {
        (Ok(id), Ok(secret), _, _) => builder.service_account(ServiceAccount::new(id, secret)),
        (_, _, Ok(public_key), Ok(private_key)) => builder.digest_auth(public_key, private_key),
        _ => return Err("set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY".into()),
    };
    let client = builder.build()?;

    #[allow(deprecated)] // Atlas marks the legacy backup endpoints deprecated.
    let mut checkpoints = client
        .list_legacy_backup_checkpoints(group_id.as_str(), cluster_name.as_str())
        .items_per_page(500)
        .items();
    let mut count = 0;
    while let Some(checkpoint) = checkpoints.try_next().await? {
        count += 1;
        println!(
            "{}  completed {}  restorable {}",
            checkpoint.id.as_deref().unwrap_or("?"),
            checkpoint
                .completed
                .map_or_else(|| "-".to_owned(), |t| t.to_rfc3339()),
            checkpoint.restorable.unwrap_or(false),
        );
    }
    eprintln!("{count} checkpoints");
    Ok(())
}
