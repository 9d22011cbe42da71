/* Ordered inline rows in the admin (lesson steps, story blocks, a block's items, curriculum
   references): "Move up" and "Move down" buttons beside each row's order field move the row
   and renumber the order fields, from the keyboard as well as with a mouse. Without
   JavaScript the order numbers are typed in (curation/admin_narratives.py). */
(function () {
  "use strict";

  function rowOf(input) {
    return input.closest(".inline-related, tr.form-row");
  }

  function rows(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll(".inline-related, tr.form-row"),
      function (row) {
        return !row.classList.contains("empty-form") && row.querySelector("input.kronika-order");
      }
    );
  }

  function renumber(group) {
    rows(group).forEach(function (row, index) {
      row.querySelector("input.kronika-order").value = String(index + 1);
    });
  }

  function move(input, step, status) {
    var row = rowOf(input);
    var group = row.closest(".inline-group");
    var all = rows(group);
    var index = all.indexOf(row);
    var target = all[index + step];
    if (!target) {
      return;
    }
    if (step < 0) {
      target.parentNode.insertBefore(row, target);
    } else {
      target.parentNode.insertBefore(row, target.nextSibling);
    }
    renumber(group);
    status.textContent = status.getAttribute("data-moved").replace("%s", input.value);
  }

  function attach(input) {
    if (input.dataset.orderButtons || input.closest(".empty-form")) {
      return;
    }
    input.dataset.orderButtons = "1";
    var status = document.createElement("span");
    status.className = "kronika-order-status";
    status.setAttribute("role", "status");
    status.setAttribute("data-moved", document.documentElement.lang === "pl" ? "Pozycja: %s" : "Position: %s");
    [[-1, "↑", document.documentElement.lang === "pl" ? "Przesuń w górę" : "Move up"],
     [1, "↓", document.documentElement.lang === "pl" ? "Przesuń w dół" : "Move down"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kronika-order-button";
      button.textContent = spec[1];
      button.setAttribute("aria-label", spec[2]);
      button.title = spec[2];
      button.addEventListener("click", function () {
        move(input, spec[0], status);
        button.focus();
      });
      input.parentNode.appendChild(button);
    });
    input.parentNode.appendChild(status);
  }

  function attachAll() {
    document.querySelectorAll("input.kronika-order").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", attachAll);
  document.addEventListener("formset:added", attachAll);
})();
