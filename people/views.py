from django.shortcuts import get_object_or_404, render

from newsmuse.sections import sections_for

from .models import Person


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.for_page(), slug=slug)
    context = {"person": person, "sections": sections_for("people:detail", person)}
    return render(request, "people/person_detail.html", context)
