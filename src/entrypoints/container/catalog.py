"""The catalog context: merchants and their staff, categories, products, stock, public browsing."""

from __future__ import annotations

from datetime import timedelta

from application.catalog.apply_for_merchant import ApplyForMerchant
from application.catalog.approve_merchant import ApproveMerchant
from application.catalog.archive_product import ArchiveProduct
from application.catalog.browse import BrowseProducts, GetPublicProduct
from application.catalog.catalog_imports import GetCatalogImport, RequestCatalogImport
from application.catalog.create_category import CreateCategory
from application.catalog.create_product import CreateProduct
from application.catalog.delete_category import DeleteCategory
from application.catalog.export_catalog import ExportCatalog
from application.catalog.get_merchant_product import GetMerchantProduct
from application.catalog.get_merchant_profile import GetMerchantProfile
from application.catalog.import_catalog import ImportCatalog
from application.catalog.import_products import ImportProducts
from application.catalog.list_categories import ListCategories
from application.catalog.list_merchant_products import ListMerchantProducts
from application.catalog.list_merchants import ListMerchants
from application.catalog.move_stock import MoveStock
from application.catalog.process_next_import import ProcessNextImport
from application.catalog.reinstate_merchant import ReinstateMerchant
from application.catalog.reinstate_product import ReinstateProduct
from application.catalog.revise_category import ReviseCategory
from application.catalog.revise_product import ReviseProduct
from application.catalog.staff import AddMerchantStaff, ListMerchantStaff, RemoveMerchantStaff
from application.catalog.suspend_merchant import SuspendMerchant
from application.catalog.suspend_product import SuspendProduct
from application.ports import CatalogPageCache
from domain.money import Currency
from entrypoints.container.adapters import Adapters
from entrypoints.container.identity import IdentityProvider


class CatalogProvider:
    """The catalog use cases of one process, each built once, wired to that process's adapters.

    Writes tell ``cache`` what changed; the public read path asks ``page_cache`` first (ADR 0005).
    """

    def __init__(self, adapters: Adapters, identity: IdentityProvider) -> None:
        uow, clock, ids, cache = adapters.unit_of_work, adapters.clock, adapters.ids, adapters.catalog_cache
        credentials = identity.credentials
        currency = Currency(adapters.settings.currency)
        import_lease = timedelta(seconds=adapters.settings.import_lease_seconds)
        self.page_cache: CatalogPageCache = cache

        self.apply_for_merchant = ApplyForMerchant(unit_of_work=uow, clock=clock, ids=ids)
        self.approve_merchant = ApproveMerchant(unit_of_work=uow, clock=clock, credentials=credentials, cache=cache)
        self.suspend_merchant = SuspendMerchant(unit_of_work=uow, clock=clock, cache=cache)
        self.list_merchants = ListMerchants(unit_of_work=uow)
        self.reinstate_merchant = ReinstateMerchant(unit_of_work=uow, clock=clock, cache=cache)
        self.get_merchant_profile = GetMerchantProfile(unit_of_work=uow)
        self.add_merchant_staff = AddMerchantStaff(unit_of_work=uow, clock=clock, credentials=credentials)
        self.list_merchant_staff = ListMerchantStaff(unit_of_work=uow)
        self.remove_merchant_staff = RemoveMerchantStaff(unit_of_work=uow, clock=clock, credentials=credentials)
        self.create_category = CreateCategory(unit_of_work=uow, ids=ids)
        self.revise_category = ReviseCategory(unit_of_work=uow, cache=cache)
        self.delete_category = DeleteCategory(unit_of_work=uow)
        self.list_categories = ListCategories(unit_of_work=adapters.read_unit_of_work)
        self.create_product = CreateProduct(unit_of_work=uow, clock=clock, ids=ids, currency=currency, cache=cache)
        self.import_products = ImportProducts(unit_of_work=uow, clock=clock, ids=ids, currency=currency, cache=cache)
        self.revise_product = ReviseProduct(unit_of_work=uow, clock=clock, currency=currency, cache=cache)
        self.get_merchant_product = GetMerchantProduct(unit_of_work=uow)
        self.archive_product = ArchiveProduct(unit_of_work=uow, clock=clock, cache=cache)
        self.list_merchant_products = ListMerchantProducts(unit_of_work=uow)
        self.move_stock = MoveStock(unit_of_work=uow, clock=clock, ids=ids, cache=cache)
        self.suspend_product = SuspendProduct(unit_of_work=uow, clock=clock, cache=cache)
        self.browse_products = BrowseProducts(unit_of_work=adapters.catalog_reads)
        self.reinstate_product = ReinstateProduct(unit_of_work=uow, clock=clock, cache=cache)
        self.get_public_product = GetPublicProduct(unit_of_work=adapters.catalog_reads)
        # Catalog files: the CLI runs import_catalog directly; the API stores a file, a worker runs it.
        self.import_catalog = ImportCatalog(unit_of_work=uow, clock=clock, ids=ids, currency=currency, cache=cache)
        self.export_catalog = ExportCatalog(unit_of_work=uow)
        self.request_catalog_import = RequestCatalogImport(unit_of_work=uow, clock=clock, ids=ids)
        self.get_catalog_import = GetCatalogImport(unit_of_work=uow)
        self.process_next_import = ProcessNextImport(
            unit_of_work=uow, clock=clock, import_catalog=self.import_catalog, lease=import_lease
        )
