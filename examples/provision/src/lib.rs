//! An application on the d.run clients: it gives a team a place to work.
//! [`provision`] creates the team's workspace (Global Management,
//! `ghippo`), picks the first running cluster (containers, `kpanda`,
//! paging through all of them), and starts a notebook there (AI Lab,
//! `baize`).
//!
//! Its tests (`tests/provision.rs`) run it against the typed mocks alone,
//! with no d.run and no hand-written JSON.

use drun_client::baize::models::{CreateNotebookBody, Notebook, NotebookType};
use drun_client::futures_util::TryStreamExt as _;
use drun_client::ghippo::models::CreateWorkspaceRequest;
use drun_client::kpanda::apis::cluster::ListClustersParams;
use drun_client::kpanda::models::{Cluster, ClusterPhase};
use drun_client::prelude::*;
use drun_client::{Client, Error};

/// What [`provision`] made.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// The new workspace's id.
    pub workspace_id: i32,
    /// The cluster the notebook runs on.
    pub cluster: String,
    /// The notebook, as AI Lab answered.
    pub notebook: Notebook,
}

/// Why [`provision`] failed.
#[derive(Debug)]
pub enum ProvisionError {
    /// A call failed; the error says which and why.
    Api(Error),
    /// No cluster is running.
    NoRunningCluster,
}

impl std::fmt::Display for ProvisionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Api(e) => write!(f, "{e}"),
            Self::NoRunningCluster => f.write_str("no cluster is running"),
        }
    }
}

impl std::error::Error for ProvisionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(e) => Some(e),
            Self::NoRunningCluster => None,
        }
    }
}

impl From<Error> for ProvisionError {
    fn from(e: Error) -> Self {
        Self::Api(e)
    }
}

/// Gives `team` a workspace in folder `folder_id` and a notebook, named
/// `<team>-notebook`, in namespace `team` of the first running cluster.
///
/// # Errors
///
/// [`ProvisionError::Api`] when a call fails (after the client's retries),
/// [`ProvisionError::NoRunningCluster`] when no cluster is running.
pub async fn provision(client: &Client, team: &str, folder_id: i32) -> Result<Provisioned, ProvisionError> {
    let request = CreateWorkspaceRequest::default().set_alias(team).set_parent_folder_id(folder_id);
    let workspace_id = client.ghippo().workspace().create_workspace(&request).await?.workspace_id;

    let cluster = client
        .kpanda()
        .cluster()
        .list_clusters_pages(&ListClustersParams::default())
        .items()
        .try_filter(|c| std::future::ready(is_running(c)))
        .try_next()
        .await?
        .ok_or(ProvisionError::NoRunningCluster)?;
    let cluster = cluster.metadata.map(|m| m.name).unwrap_or_default();

    let body = CreateNotebookBody::default()
        .set_name(format!("{team}-notebook"))
        .set_type(NotebookType::Jupyter)
        .set_description(format!("{team}'s notebook"));
    let notebook = client.baize().notebook_service().create_notebook(workspace_id, &cluster, team, &body).await?;
    Ok(Provisioned { workspace_id, cluster, notebook })
}

fn is_running(cluster: &Cluster) -> bool {
    cluster.status.as_ref().is_some_and(|s| s.phase == ClusterPhase::Running)
}
