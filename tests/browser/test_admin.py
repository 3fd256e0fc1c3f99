import pytest

from newsmuse.models import Image
from tests.factories import ImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password")
    page.click("input[type=submit]")
    return page


def test_editor_sets_the_focal_point_by_clicking_the_preview(live_server, admin_page):
    image = ImageFactory(file__width=400, file__height=200)
    admin_page.goto(f"{live_server.url}/admin/newsmuse/image/{image.pk}/change/")
    preview = admin_page.locator(".focal-point img[data-focal]")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    assert float(admin_page.input_value("#id_focal_x")) == pytest.approx(0.8, abs=0.02)
    assert float(admin_page.input_value("#id_focal_y")) == pytest.approx(0.25, abs=0.02)

    admin_page.click("input[name=_save]")
    admin_page.wait_for_url(f"{live_server.url}/admin/newsmuse/image/")
    image = Image.objects.get(pk=image.pk)
    assert image.focal_x == pytest.approx(0.8, abs=0.02)
    assert image.focal_y == pytest.approx(0.25, abs=0.02)
