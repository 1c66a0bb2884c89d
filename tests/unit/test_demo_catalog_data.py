"""The demo catalog is deterministic, valid for the domain, and skewed like a real shop."""

from collections import Counter

from domain.catalog.products import product_description, product_name, product_sku
from entrypoints.demo.catalog_data import CATEGORIES, STORES, demo_person, demo_product

SAMPLE = [demo_product(number, len(STORES)) for number in range(3_000)]


def test_a_product_number_always_gives_the_same_product():
    assert [demo_product(number, len(STORES)) for number in range(50)] == SAMPLE[:50]


def test_every_demo_product_passes_the_domain_rules():
    for product in SAMPLE:
        assert product_name(product.name) == product.name
        product_description(product.description)
        product_sku(product.sku)
        assert product.price_minor > 0
        assert product.stock >= 0
    assert len({product.sku for product in SAMPLE}) == len(SAMPLE)


def test_a_few_categories_hold_most_products_and_some_very_few():
    sizes = Counter(product.category_slug for product in SAMPLE)
    largest, smallest = sizes.most_common()[0][1], sizes.most_common()[-1][1]
    assert largest > 30 * smallest
    assert smallest < len(SAMPLE) / 200
    leaves = {category.slug for category in CATEGORIES if category.weight > 0}
    assert set(sizes) == leaves


def test_some_words_are_in_most_names_and_most_words_in_few():
    documents = [set(product.name.lower().split()) for product in SAMPLE]
    frequency = Counter(word for words in documents for word in words)
    assert frequency.most_common(1)[0][1] > len(SAMPLE) * 0.3
    rare = [word for word, count in frequency.items() if count < len(SAMPLE) * 0.01]
    assert len(rare) > len(frequency) / 3


def test_demo_people_are_distinct():
    people = [demo_person("customer", n) for n in range(20)] + [demo_person("admin", 0), demo_person("support", 0)]
    assert len({person.email for person in people}) == len({person.phone for person in people}) == len(people)
