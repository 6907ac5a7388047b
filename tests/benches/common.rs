//! A `list_users` response body of many users, as a server would send it.

use serde_json::json;

/// The body of a `list_users` page holding `n` users, every field set.
pub fn users_body(n: usize) -> Vec<u8> {
    let items: Vec<_> = (0..n)
        .map(|i| {
            json!({
                "id": format!("4b9d6d3e-1f4e-4c1a-9d2b-{i:012}"),
                "name": format!("user-{i}"),
                "email": format!("user-{i}@example.com"),
                "description": "a user of the platform",
                "firstname": "Ada",
                "lastname": "Lovelace",
                "source": if i % 3 == 0 { "ldap" } else { "builtin" },
                "enabled": i % 7 != 0,
                "createdAt": "2024-01-02T03:04:05Z",
                "updatedAt": "2024-02-03T04:05:06Z",
                "lastLoginAt": "2024-03-04T05:06:07Z",
                "canAuthorize": i % 2 == 0
            })
        })
        .collect();
    serde_json::to_vec(&json!({"items": items, "pagination": {"page": 1, "pageSize": n, "total": n}})).expect("serialises")
}
