"""PDF bytes on screen and on paper: Qt's PDF document, its pages drawn for a printer, the OS
print dialog. Below the documents and the dialog service, which both use it."""
