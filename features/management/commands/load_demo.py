import io

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from features import demo
from features.content import Cast, FeatureContent
from features.models import Feature, Series
from features.services import move_feature, save_feature
from films.models import Credit, Film, WatchOption
from newsmuse.models import Image
from newsmuse.services import create_image
from people.models import Person


class Command(BaseCommand):
    help = (
        "Load the demo content (the NEWS x MUSE interview and a fictional sample Q&A). "
        "Idempotent: rows that already exist are left exactly as they are."
    )

    def handle(self, *args, **options):
        self.created = 0
        with transaction.atomic():
            images = {key: self.image(spec) for key, spec in demo.IMAGES.items()}
            series = {spec["slug"]: self.get_or_create(Series, spec) for spec in demo.SERIES}
            people = {spec["slug"]: self.person(spec, images) for spec in demo.PEOPLE}
            films = {spec["slug"]: self.film(spec, images, people) for spec in demo.FILMS}
            for spec in demo.FEATURES:
                self.feature(spec, images, series, people, films)
        summary = (
            f"Demo content: {Feature.objects.count()} features, {Person.objects.count()} people, "
            f"{Film.objects.count()} films; {self.created} rows created."
        )
        self.stdout.write(self.style.SUCCESS(summary))

    def get_or_create(self, model, fields, **lookup):
        lookup = lookup or {"slug": fields["slug"]}
        defaults = {key: value for key, value in fields.items() if key not in lookup}
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
        self.created += created
        return obj

    def image(self, spec):
        image = Image.objects.filter(title=spec["title"]).first()
        if image is None:
            filename = spec["title"].split(": ", 1)[-1].lower().replace(" ", "-") + ".png"
            image = create_image(
                file=ContentFile(draw_placeholder(spec), name=filename),
                title=spec["title"],
                alt_text=spec["alt_text"],
                caption=spec.get("caption", ""),
                credit=spec.get("credit", ""),
                focal_x=spec.get("focal", (0.5, 0.5))[0],
                focal_y=spec.get("focal", (0.5, 0.5))[1],
                tags=["demo"],
            )
            self.created += 1
        return image

    def person(self, spec, images):
        fields = {**spec, "portrait": images.get(spec.get("portrait"))}
        return self.get_or_create(Person, fields)

    def film(self, spec, images, people):
        fields = {key: value for key, value in spec.items() if key not in ("credits", "watch")}
        film = self.get_or_create(Film, {**fields, "poster": images.get(spec.get("poster"))})
        for order, (person, role, note) in enumerate(spec.get("credits", [])):
            self.get_or_create(
                Credit,
                {"note": note, "order": order},
                film=film,
                person=people[person],
                role=role,
                character="",
            )
        for order, (provider, url, kind) in enumerate(spec.get("watch", [])):
            self.get_or_create(
                WatchOption,
                {"url": url, "order": order},
                film=film,
                provider=provider,
                kind=kind,
                region="",
            )
        return film

    def feature(self, spec, images, series, people, films):
        """A new demo feature goes through the same save and workflow as an editor's."""
        if Feature.objects.filter(slug=spec["slug"]).exists():
            return
        content = FeatureContent(
            slug=spec["slug"],
            series=series[spec["series"]],
            headline=spec["headline"],
            dek=spec["dek"],
            hero_image=images[spec["hero_image"]],
            published_at=spec["published_at"],
            participants=[
                Cast(people[person], role, label) for person, role, label in spec["participants"]
            ],
            films=[films[slug] for slug in spec["films"]],
            tags=spec["tags"],
        )
        content.set_body_text(spec["body"])
        feature = save_feature(user=None, content=content, note="Demo content")
        move_feature(feature=feature, move="publish", user=None)
        self.created += 1


def draw_placeholder(spec) -> bytes:
    """A PNG with a vertical colour gradient and a centred label, made without downloads."""
    width, height = spec["size"]
    top, bottom = (
        PILImage.new("RGB", (1, 1), colour).getpixel((0, 0)) for colour in spec["colours"]
    )
    gradient = PILImage.linear_gradient("L").resize((width, height))
    picture = PILImage.composite(
        PILImage.new("RGB", (width, height), bottom),
        PILImage.new("RGB", (width, height), top),
        gradient,
    )
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=max(24, width // 12))
    draw.multiline_text(
        (width / 2, height / 2),
        spec["label"],
        font=font,
        fill="#ffffff",
        anchor="mm",
        align="center",
        spacing=width // 40,
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
