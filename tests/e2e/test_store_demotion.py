"""Issue 13, defect 6: a store's person made a customer (or deactivated) loses store access at once."""

import pytest

from tests.e2e.catalog_flows import add_staff, create_category, open_store, product_body
from tests.e2e.identity_flows import bearer, create_admin, log_in


@pytest.fixture
async def admin_tokens(client):
    return await log_in(client, (await create_admin(client))["email"])


@pytest.mark.parametrize("demoted", ["manager", "staff"])
async def test_a_store_person_made_a_customer_loses_store_access_at_once(client, admin_tokens, demoted):
    store = await open_store(client, admin_tokens)
    staff = await add_staff(client, store, admin_tokens)
    category = await create_category(client, admin_tokens, f"Zapatos {demoted}")
    person = store.manager if demoted == "manager" else staff
    user_id, email = person["user"]["id"], person["user"]["email"]
    changed = await client.patch(
        f"/api/v1/admin/users/{user_id}", json={"role": "customer"}, headers=bearer(admin_tokens)
    )
    assert changed.status_code == 200, changed.text

    as_customer = await log_in(client, email)
    assert as_customer["user"]["role"] == "customer"
    products = f"/api/v1/merchants/{store.id}/products"
    wrote = await client.post(products, json=product_body(category["id"]), headers=bearer(as_customer))
    assert wrote.status_code in (403, 404), wrote.text
    read = await client.get(products, headers=bearer(as_customer))
    assert read.status_code in (403, 404), read.text
    orders = await client.get(f"/api/v1/merchants/{store.id}/orders", headers=bearer(as_customer))
    assert orders.status_code in (403, 404), orders.text


async def test_a_deactivated_manager_is_refused_with_the_token_they_hold(client, admin_tokens):
    store = await open_store(client, admin_tokens)
    user_id = store.manager["user"]["id"]
    changed = await client.patch(
        f"/api/v1/admin/users/{user_id}", json={"is_active": False}, headers=bearer(admin_tokens)
    )
    assert changed.status_code == 200, changed.text
    read = await client.get(f"/api/v1/merchants/{store.id}/products", headers=bearer(store.manager))
    assert read.status_code == 401
