from django.urls import path
from shop import views

urlpatterns = [
    path("books/<int:pk>/", views.detail, name="book-detail"),
    path("by-title/<str:title>/", views.by_title, name="by-title"),
    path("search/", views.search, name="search"),
]
