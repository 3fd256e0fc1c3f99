from django.urls import path

from . import views

app_name = "features"

urlpatterns = [
    path("", views.home, name="home"),
    path("features/<slug:slug>/", views.feature_detail, name="detail"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
]
