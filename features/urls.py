from django.urls import path, re_path

from . import views

app_name = "features"

urlpatterns = [
    path("", views.home, name="home"),
    path("features/<slug:slug>/", views.feature_detail, name="detail"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("search/", views.search_results, name="search"),
    path("preview/<str:token>/", views.shared_preview, name="share"),
    # Tag slugs keep accented letters (“ciencia-ficción”).
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.tag_detail, name="tag"),
]
