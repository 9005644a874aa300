from django.http import HttpResponse

from shop.models import Book


def detail(request, pk):
    book = Book.objects.get(pk=pk)
    return HttpResponse(book.title)


def by_title(request, title):
    book = Book.objects.get(title=title)
    return HttpResponse(f"{book.title} by {book.author.name}")


def search(request):
    books = Book.objects.filter(titel=request.GET.get("q", ""))
    return HttpResponse(", ".join(book.title for book in books))
