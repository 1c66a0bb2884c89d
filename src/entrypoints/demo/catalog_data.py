"""What the demo marketplace sells: a Spanish catalog with a realistic, skewed shape.

Everything is derived from a product's number and a fixed seed, so a second run
asks for exactly the same products (and finds them there). The shape is the one
a search index meets in a real shop: a few words appear in most names
("negro", "talla", "original"), most appear rarely; a few categories hold
most products and some hold only a handful.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

SEED = 20_261_126


@dataclass(frozen=True, slots=True)
class DemoCategory:
    slug: str
    name: str
    parent: str | None  # slug of the parent
    weight: float  # share of the products (leaves only)
    nouns: tuple[str, ...]  # what products of this category are called
    price_range: tuple[int, int]  # COP, whole pesos
    sizes: tuple[str, ...] = ()


# Leaves carry the weights: Calzado and Ropa are most of the shop; Vinilos and Ajedrez almost nothing.
CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory("moda", "Moda", None, 0, (), (0, 0)),
    DemoCategory(
        "calzado", "Calzado", "moda", 18,
        ("Zapatos", "Tenis", "Botas", "Sandalias", "Mocasines", "Botines", "Alpargatas"),
        (59_000, 420_000),
        ("talla 35", "talla 36", "talla 37", "talla 38", "talla 39", "talla 40", "talla 41", "talla 42"),
    ),
    DemoCategory(
        "ropa-mujer", "Ropa de mujer", "moda", 14,
        ("Blusa", "Vestido", "Falda", "Jean", "Chaqueta", "Saco", "Leggings"),
        (35_000, 310_000), ("talla XS", "talla S", "talla M", "talla L", "talla XL"),
    ),
    DemoCategory(
        "ropa-hombre", "Ropa de hombre", "moda", 11,
        ("Camisa", "Camiseta", "Pantalón", "Jean", "Chaqueta", "Buzo", "Bermuda"),
        (39_000, 290_000), ("talla S", "talla M", "talla L", "talla XL"),
    ),
    DemoCategory(
        "accesorios", "Accesorios", "moda", 6,
        ("Bolso", "Cinturón", "Gorra", "Billetera", "Mochila", "Sombrero vueltiao", "Gafas de sol"),
        (25_000, 380_000),
    ),
    DemoCategory("hogar", "Hogar", None, 0, (), (0, 0)),
    DemoCategory(
        "cocina", "Cocina", "hogar", 9,
        ("Olla", "Sartén", "Juego de cuchillos", "Licuadora", "Cafetera", "Tabla de picar", "Arepera"),
        (29_000, 650_000),
    ),
    DemoCategory(
        "decoracion", "Decoración", "hogar", 5,
        ("Cojín", "Lámpara", "Cuadro", "Jarrón", "Tapete", "Espejo", "Hamaca"),
        (22_000, 540_000),
    ),
    DemoCategory(
        "muebles", "Muebles", "hogar", 2.5,
        ("Silla", "Mesa auxiliar", "Repisa", "Escritorio", "Butaco"), (120_000, 2_400_000),
    ),
    DemoCategory("tecnologia", "Tecnología", None, 0, (), (0, 0)),
    DemoCategory(
        "celulares", "Celulares y accesorios", "tecnologia", 8,
        ("Funda", "Cargador", "Cable USB-C", "Protector de pantalla", "Soporte", "Batería portátil"),
        (15_000, 260_000),
    ),
    DemoCategory(
        "audio", "Audio", "tecnologia", 4,
        ("Audífonos", "Parlante", "Audífonos inalámbricos", "Micrófono"), (45_000, 1_100_000),
    ),
    DemoCategory(
        "computadores", "Computadores", "tecnologia", 2,
        ("Teclado", "Mouse", "Base refrigerante", "Monitor", "Disco externo"), (35_000, 1_800_000),
    ),
    DemoCategory("mercado", "Mercado", None, 0, (), (0, 0)),
    DemoCategory(
        "cafe", "Café", "mercado", 6,
        ("Café molido", "Café en grano", "Café especial", "Café liofilizado"), (18_000, 95_000),
        ("250 g", "500 g", "1 kg"),
    ),
    DemoCategory(
        "dulces", "Dulces típicos", "mercado", 3,
        ("Bocadillo veleño", "Arequipe", "Panelitas", "Cocadas", "Obleas"), (6_000, 48_000),
    ),
    DemoCategory("deportes", "Deportes", None, 0, (), (0, 0)),
    DemoCategory(
        "ciclismo", "Ciclismo", "deportes", 3,
        ("Casco", "Guantes de ciclismo", "Luces para bicicleta", "Candado", "Maillot"), (39_000, 720_000),
    ),
    DemoCategory(
        "fitness", "Fitness", "deportes", 2.5,
        ("Mancuernas", "Tapete de yoga", "Banda elástica", "Termo deportivo"), (19_000, 340_000),
    ),
    DemoCategory(
        "belleza", "Belleza", None, 3,
        ("Crema hidratante", "Protector solar", "Champú", "Labial", "Perfume"), (14_000, 280_000),
    ),
    DemoCategory(
        "juguetes", "Juguetes", None, 1.5,
        ("Rompecabezas", "Peluche", "Carro a control remoto", "Muñeca"), (19_000, 320_000),
    ),
    DemoCategory("libros", "Libros y música", None, 0, (), (0, 0)),
    DemoCategory(
        "libros-novela", "Novela", "libros", 1.2, ("Novela", "Edición de bolsillo", "Edición ilustrada"),
        (29_000, 120_000),
    ),
    # Rare on purpose: a category with very few products, as real shops have.
    DemoCategory("vinilos", "Vinilos", "libros", 0.15, ("Vinilo", "Vinilo doble"), (95_000, 260_000)),
    DemoCategory("ajedrez", "Ajedrez", "juguetes", 0.1, ("Tablero de ajedrez", "Reloj de ajedrez"), (45_000, 380_000)),
)  # fmt: skip

# Zipf-like: the first words of each list are in many names, the last ones in few.
COLOURS = (
    "negro",
    "blanco",
    "azul",
    "gris",
    "rojo",
    "beige",
    "verde",
    "café",
    "rosado",
    "mostaza",
    "vinotinto",
    "turquesa",
)
# Materials that make sense for each top-level category (none for coffee or phone chargers).
MATERIALS: dict[str, tuple[str, ...]] = {
    "moda": ("de algodón", "de cuero", "de lana", "de lino", "en fique", "de jean"),
    "hogar": ("de madera", "en cerámica", "en acero inoxidable", "de bambú", "en fique", "de vidrio"),
    "deportes": ("de aluminio", "en neopreno"),
    "juguetes": ("de madera",),
}
QUALIFIERS = (
    "original",
    "clásico",
    "premium",
    "artesanal",
    "edición limitada",
    "ecológico",
    "profesional",
    "hecho a mano",
)
BRANDS = ("Andina", "Caribe", "Páramo", "Macondo", "Quindío", "Guadua", "Tayrona", "Chiribiquete", "Nevado", "Sierra")
ORIGINS = ("de Medellín", "de Bogotá", "de Cali", "de Bucaramanga", "de Pasto", "de Barranquilla", "del Eje Cafetero")


def _zipf(count: int, exponent: float = 1.1) -> list[float]:
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


@cache
def _leaves() -> tuple[tuple[DemoCategory, ...], list[float]]:
    leaves = tuple(category for category in CATEGORIES if category.weight > 0)
    return leaves, list(accumulate(category.weight for category in leaves))


@dataclass(frozen=True, slots=True)
class DemoProduct:
    number: int
    sku: str
    name: str
    description: str
    category_slug: str
    price_minor: int  # COP has no minor unit in practice; the API counts centavos
    stock: int
    store: int  # which of the demo stores sells it


def _root(category: DemoCategory) -> str:
    by_slug = {each.slug: each for each in CATEGORIES}
    while category.parent is not None:
        category = by_slug[category.parent]
    return category.slug


def _pick(rng: random.Random, words: tuple[str, ...]) -> str:
    return rng.choices(words, cum_weights=_zipf(len(words)))[0]


def demo_product(number: int, stores: int) -> DemoProduct:
    """Product ``number`` of the demo catalog: always the same for the same number."""
    rng = random.Random(SEED * 1_000_003 + number)  # noqa: S311 - demo data, not secrets
    leaves, cumulative = _leaves()
    category = rng.choices(leaves, cum_weights=cumulative)[0]
    parts = [_pick(rng, category.nouns)]
    materials = MATERIALS.get(_root(category), ())
    if materials and rng.random() < 0.55:
        parts.append(_pick(rng, materials))
    if _root(category) not in {"mercado", "libros"} and rng.random() < 0.7:
        parts.append(_pick(rng, COLOURS))
    parts.append(_pick(rng, BRANDS))
    if rng.random() < 0.35:
        parts.append(_pick(rng, QUALIFIERS))
    if category.sizes and rng.random() < 0.8:
        parts.append(rng.choice(category.sizes))
    name = " ".join(parts)
    origin = _pick(rng, ORIGINS)
    description = (
        f"{name}. Producto {origin}, {_pick(rng, QUALIFIERS)}, con garantía de 3 meses y envío a todo Colombia."
    )
    low, high = category.price_range
    # Prices cluster at the low end and end in 900, as shop prices do.
    pesos = int(low + (high - low) * rng.random() ** 2.2)
    pesos = max(low, pesos - pesos % 1000 + 900)
    stock = 0 if rng.random() < 0.06 else int(rng.paretovariate(1.3) * 3)
    # Stores are skewed too: the first store sells about a third of everything.
    store = rng.choices(range(stores), cum_weights=_zipf(stores, 0.9))[0]
    return DemoProduct(
        number=number,
        sku=f"DEMO-{number:06d}",
        name=name[:200],
        description=description,
        category_slug=category.slug,
        price_minor=pesos * 100,
        stock=min(stock, 5_000),
        store=store,
    )


@dataclass(frozen=True, slots=True)
class DemoStore:
    name: str
    legal_id: str
    description: str


STORES: tuple[DemoStore, ...] = (
    DemoStore("Almacén La Candelaria", "900100001-1", "De todo un poco, desde 1987, en el centro de Bogotá."),
    DemoStore("Tienda El Poblado", "900100002-2", "Moda y hogar con diseño paisa."),
    DemoStore("Bazar del Caribe", "900100003-3", "Artesanías, café y sabores de la costa."),
    DemoStore("Tecno Quindío", "900100004-4", "Accesorios de tecnología con garantía."),
    DemoStore("Deportes Tayrona", "900100005-5", "Todo para moverse: ciclismo, fitness y aire libre."),
)

FIRST_NAMES = ("Ana", "Luis", "Camila", "Andrés", "Valentina", "Juan", "Sofía", "Carlos", "Mariana", "Felipe")
LAST_NAMES = ("Rojas", "Gómez", "Martínez", "López", "Restrepo", "Cárdenas", "Vargas", "Ospina", "Torres", "Mejía")


@dataclass(frozen=True, slots=True)
class DemoPerson:
    email: str
    phone: str
    national_id: str
    first_name: str
    last_name: str


def demo_person(role: str, number: int) -> DemoPerson:
    """A person of the demo (``role`` is 'admin', 'support', 'manager', 'staff' or 'customer')."""
    serial = {"admin": 0, "support": 1, "manager": 10, "staff": 20, "customer": 100}[role] + number
    return DemoPerson(
        email=f"{role}{number if role not in {'admin', 'support'} else ''}@demo.commerce.example",
        phone=f"3{serial:09d}",
        national_id=f"{1_000_000_000 + serial}",
        first_name=FIRST_NAMES[serial % len(FIRST_NAMES)],
        last_name=LAST_NAMES[(serial // len(FIRST_NAMES) + serial) % len(LAST_NAMES)],
    )


# One password for every demo account, printed by the command: demo data, never production.
DEMO_PASSWORD = "demo-mercado-colombia-2026"  # noqa: S105
