//! The README's first program: every restorable checkpoint of a cluster, with a service
//! account. `cargo test` compiles it, and `tests/readme.rs` checks that the README shows
//! this file as it is.
//!
//! ```text
//! MONGODB_ATLAS_CLIENT_ID=... MONGODB_ATLAS_CLIENT_SECRET=... \
//!   cargo run -p atlas-admin --example quickstart -- <groupId> <clusterName>
//! ```

use atlas_admin::models::ApiAtlasCheckpointView;
use atlas_admin::{Client, ServiceAccount};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(group_id), Some(cluster)) = (args.next(), args.next()) else {
        return Err("usage: quickstart <groupId> <clusterName>".into());
    };
    let client = Client::builder()
        .service_account(ServiceAccount::new(
            std::env::var("MONGODB_ATLAS_CLIENT_ID")?,
            std::env::var("MONGODB_ATLAS_CLIENT_SECRET")?,
        ))
        .build()?;
    match restorable(&client, &group_id, &cluster).await {
        Ok(checkpoints) => println!("{} restorable checkpoints", checkpoints.len()),
        Err(error) if error.is_error_code("CLUSTER_NOT_FOUND") => println!("no such cluster"),
        // Reads as `404 Not Found: GROUP_NOT_FOUND: No group with ID ... exists.`
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

/// `atlas_admin::Result<T>` is `Result<T, atlas_admin::Error<atlas_admin::models::ApiError>>`.
async fn restorable(
    client: &Client,
    group_id: &str,
    cluster: &str,
) -> atlas_admin::Result<Vec<ApiAtlasCheckpointView>> {
    #[allow(deprecated)] // the spec marks this operation deprecated
    let mut checkpoints = client
        .list_legacy_backup_checkpoints(group_id, cluster)
        .items_per_page(500)
        .items();
    let mut restorable = Vec::new();
    // Every page in turn; the stream needs no pinning.
    while let Some(checkpoint) = checkpoints.try_next().await? {
        if checkpoint.restorable == Some(true) {
            restorable.push(checkpoint);
        }
    }
    Ok(restorable)
}
