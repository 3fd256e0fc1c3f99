"""One page of a long list, for every app's list pages."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404


def page_of(request, items, per_page: int, *, allow_empty: bool = True) -> Page:
    """The page of ``items`` that ``?page=`` asks for (two queries: the count and the page).
    A page number that is not one of its pages is a 404, and so is an empty list unless
    ``allow_empty``."""
    paginator = Paginator(items, per_page, allow_empty_first_page=allow_empty)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page.") from error


def page_path(path: str, page: Page) -> str:
    """The canonical address of one page of a list: the first is the list's own."""
    return path if page.number == 1 else f"{path}?page={page.number}"
